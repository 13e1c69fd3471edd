import { env } from "cloudflare:test";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trueDropOff, trueFunnel, upperMedian } from "@pixel/dev/ground-truth/funnel";
import { generateEventBatches, type TruthSite } from "@pixel/dev/ground-truth/generate";
import { type EventRow, insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import type { FunnelStep } from "@pixel/lib/funnels";
import { percentOf } from "@pixel/lib/stats/percent";
import { runDropOff, runFunnel } from "./report";

const truthEnv = env as unknown as { CLICKHOUSE_URL: string; TRUTH_CLICKHOUSE_DATABASE: string };
const client = adminClickHouse(truthEnv, truthEnv.TRUTH_CLICKHOUSE_DATABASE);
const run = crypto.randomUUID().slice(0, 8);
const sites: TruthSite[] = [
  { id: `funnel_${run}_berlin`, domain: "berlin.example", timezone: "Europe/Berlin" },
  { id: `funnel_${run}_kolkata`, domain: "kolkata.example", timezone: "Asia/Kolkata" },
];
const range: [string, string] = ["2026-06-02", "2026-06-04"];
const rows: EventRow[] = [];

const FUNNELS: FunnelStep[][] = [
  [{ kind: "page", pagePath: "/" }, { kind: "page", pagePath: "/pricing" }, { kind: "event", eventName: "signup", property: { name: "plan", value: "pro" } }],
  [{ kind: "page", pagePath: "/blog/*" }, { kind: "page", pagePath: "/docs/*" }, { kind: "event", eventName: "download" }, { kind: "page", pagePath: "/" }],
  [{ kind: "page", pagePath: "/" }, { kind: "page", pagePath: "/" }, { kind: "page", pagePath: "/*" }],
];

beforeAll(async () => {
  const options = { seed: 7, sites, firstDay: "2026-06-01", days: 5, visitsPerSiteDay: 60, duplicateShare: 0.02 };
  for (const batch of generateEventBatches(options, 2_000)) {
    rows.push(...batch);
    await insertEvents(client, batch);
  }
}, 60_000);

afterAll(() => client.close());

function queryOf(site: TruthSite, filters: unknown[]) {
  const input = v.parse(QueryBody, { site_id: site.id, metrics: ["visitors"], date_range: range, filters });
  return normalizeQuery(input, { timezone: site.timezone, createdAt: new Date("2026-01-01") });
}

const report = (site: TruthSite, steps: FunnelStep[], filters: unknown[]) =>
  runFunnel(client, steps, queryOf(site, filters), { timezone: site.timezone, goals: [] });

function expected(site: TruthSite, steps: FunnelStep[], visitFilter?: (events: EventRow[]) => boolean) {
  const truth = trueFunnel(rows, site.id, site.timezone, steps, range, visitFilter);
  const first = truth[0]!.visitors;
  return {
    steps: truth.map((step, k) => ({
      visitors: step.visitors,
      conversion_rate: percentOf(step.visitors, first),
      drop_off: k + 1 < truth.length ? step.visitors - truth[k + 1]!.visitors : null,
      median_ms_from_previous: upperMedian(step.gapsMs),
    })),
    conversion_rate: percentOf(truth.at(-1)!.visitors, first),
  };
}

describe("funnel reports equal the ground truth", () => {
  it.each(sites.flatMap((site) => FUNNELS.map((steps, i) => [site.timezone, i, site, steps] as const)))("%s, funnel %i", async (_, __, site, steps) => {
    const truth = expected(site, steps);
    expect(truth.steps[1]!.visitors, "the generated traffic takes the funnel's second step").toBeGreaterThan(0);
    expect(await report(site, steps, [])).toEqual(truth);
  });

  it.each(sites.map((site) => [site.timezone, site] as const))("%s, with the visitors from France", async (_, site) => {
    const fromFrance = (events: EventRow[]) => events[0]!.country === "FR";
    expect(await report(site, FUNNELS[0]!, [["is", "visit:country", ["FR"]]])).toEqual(expected(site, FUNNELS[0]!, fromFrance));
  });
});

describe("funnel drop-offs equal the ground truth", () => {
  it.each(sites.flatMap((site) => FUNNELS.map((steps, i) => [site.timezone, i, site, steps] as const)))("%s, funnel %i", async (_, __, site, steps) => {
    for (let step = 1; step < steps.length; step++) {
      const truth = trueDropOff(rows, site.id, site.timezone, steps, range, step);
      const answer = await runDropOff(client, steps, step, queryOf(site, []), { timezone: site.timezone, goals: [] });
      expect(new Map(answer.next_pages.map(({ page, visitors }) => [page, visitors])), `step ${step}`).toEqual(truth);
    }
  });

  it("has next pages and ended visits to compare", () => {
    const truth = trueDropOff(rows, sites[0]!.id, sites[0]!.timezone, FUNNELS[0]!, range, 1);
    expect(truth.get("")).toBeGreaterThan(0);
    expect([...truth.keys()].filter(Boolean).length).toBeGreaterThan(1);
  });

  it.each(sites.map((site) => [site.timezone, site] as const))("%s, with the visitors from France", async (_, site) => {
    const fromFrance = (events: EventRow[]) => events[0]!.country === "FR";
    const truth = trueDropOff(rows, site.id, site.timezone, FUNNELS[0]!, range, 2, fromFrance);
    const answer = await runDropOff(client, FUNNELS[0]!, 2, queryOf(site, [["is", "visit:country", ["FR"]]]), { timezone: site.timezone, goals: [] });
    expect(new Map(answer.next_pages.map(({ page, visitors }) => [page, visitors]))).toEqual(truth);
  });
});
