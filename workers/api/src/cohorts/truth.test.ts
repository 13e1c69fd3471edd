import { env } from "cloudflare:test";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trueRetention } from "@pixel/dev/ground-truth/cohorts";
import { generateEventBatches, type TruthSite } from "@pixel/dev/ground-truth/generate";
import { type EventRow, insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { COHORT_PERIODS, type CohortPeriod, type CohortUnit } from "@pixel/lib/cohorts";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { runRetention } from "./report";

const truthEnv = env as unknown as { CLICKHOUSE_URL: string; TRUTH_CLICKHOUSE_DATABASE: string };
const client = adminClickHouse(truthEnv, truthEnv.TRUTH_CLICKHOUSE_DATABASE);
const run = crypto.randomUUID().slice(0, 8);
const sites: TruthSite[] = [
  { id: `cohorts_${run}_berlin`, domain: "berlin.example", timezone: "Europe/Berlin" },
  { id: `cohorts_${run}_kolkata`, domain: "kolkata.example", timezone: "Asia/Kolkata" },
];
const RANGES: Record<CohortPeriod, [string, string]> = { day: ["2026-06-03", "2026-06-20"], week: ["2026-06-01", "2026-07-19"], month: ["2026-05-01", "2026-07-31"] };
const rows: EventRow[] = [];

beforeAll(async () => {
  const options = { seed: 11, sites, firstDay: "2026-05-20", days: 60, visitsPerSiteDay: 25, duplicateShare: 0.02 };
  for (const batch of generateEventBatches(options, 5_000)) {
    rows.push(...batch);
    await insertEvents(client, batch);
  }
}, 120_000);

afterAll(() => client.close());

async function report(site: TruthSite, period: CohortPeriod, filters: unknown[], unit: CohortUnit = "browser") {
  const input = v.parse(QueryBody, { site_id: site.id, metrics: ["visitors"], date_range: RANGES[period], filters });
  const query = normalizeQuery(input, { timezone: site.timezone, createdAt: new Date("2026-01-01") });
  return runRetention(client, { period, unit }, query, { timezone: site.timezone, goals: [] });
}

describe("retention cohorts equal the ground truth", () => {
  it.each(sites.flatMap((site) => COHORT_PERIODS.map((period) => [site.timezone, period, site] as const)))("%s, by %s", async (_, period, site) => {
    const truth = trueRetention(rows, site.id, site.timezone, { period, unit: "browser" }, RANGES[period]);
    expect(truth.some((cohort) => cohort.periods.slice(1).some((later) => later.visitors > 0)), "browsers come back in the generated traffic").toBe(true);
    expect(await report(site, period, [])).toEqual(truth);
  });

  it.each(sites.map((site) => [site.timezone, site] as const))("%s, by week, with the visitors from France", async (_, site) => {
    const truth = trueRetention(rows, site.id, site.timezone, { period: "week", unit: "browser" }, RANGES.week, (row) => row.country === "FR");
    expect(await report(site, "week", [["is", "visit:country", ["FR"]]])).toEqual(truth);
  });
});

describe("user cohorts equal the ground truth", () => {
  const cases = sites.flatMap((site) => COHORT_PERIODS.map((period) => [site.timezone, period, site] as const));

  it.each(cases)("%s, by %s", async (_, period, site) => {
    const truth = trueRetention(rows, site.id, site.timezone, { period, unit: "user" }, RANGES[period]);
    const users = new Set(rows.filter((row) => row.site_id === site.id && row.user_id).map((row) => row.user_id));
    const inCohorts = truth.reduce((sum, cohort) => sum + cohort.visitors, 0);
    // The day and week ranges start after the generated days do (the month range holds them all).
    if (period !== "month") expect(inCohorts, "some users were first seen before the range and are in no cohort").toBeLessThan(users.size);
    expect(truth.some((cohort) => cohort.periods.slice(1).some((later) => later.visitors > 0)), "users come back in the generated traffic").toBe(true);
    const browsers = trueRetention(rows, site.id, site.timezone, { period, unit: "browser" }, RANGES[period]);
    expect(truth, "a user's two browsers make user cohorts differ from browser cohorts").not.toEqual(browsers);
    expect(await report(site, period, [], "user")).toEqual(truth);
  });

  it.each(cases)("%s, by %s, with the users active in visits from France", async (_, period, site) => {
    const truth = trueRetention(rows, site.id, site.timezone, { period, unit: "user" }, RANGES[period], (row) => row.country === "FR");
    expect(truth.some((cohort) => cohort.visitors > 0)).toBe(true);
    expect(await report(site, period, [["is", "visit:country", ["FR"]]], "user")).toEqual(truth);
  });
});
