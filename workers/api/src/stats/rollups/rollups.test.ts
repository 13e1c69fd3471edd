import { env } from "cloudflare:test";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIMENSION_SETS, VISIT_METRICS, VISIT_ONLY_METRICS } from "@pixel/dev/ground-truth/cases";
import { withDailyVisitorIds } from "@pixel/dev/ground-truth/daily-ids";
import { generateEventBatches, type TruthSite } from "@pixel/dev/ground-truth/generate";
import { trueAnswer } from "@pixel/dev/ground-truth/truth";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { type EventRow, insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { UMAMI_EVENT_PREFIX } from "@pixel/lib/import/umami";
import { isVisitOnlyDimension, VISIT_DIMENSIONS } from "@pixel/lib/stats/vocabulary";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { type CompileContext, readsRollups } from "../planner";
import { batchTasks } from "../batch";
import { runCombined, runQuery } from "../run";
import { validRolls } from "./read";
import { dueDays, rollDay } from "./roll";

const truthEnv = env as unknown as { TRUTH_CLICKHOUSE_DATABASE: string; CLICKHOUSE_URL: string };
const client = adminClickHouse(truthEnv, truthEnv.TRUTH_CLICKHOUSE_DATABASE);
const run = crypto.randomUUID().slice(0, 8);
// UTC: local days are UTC days, and visits cross the rolled days' midnights. The others read their range's edges raw.
const sites: TruthSite[] = [
  { id: `rolled_${run}_utc`, domain: "utc.example", timezone: "UTC" },
  { id: `rolled_${run}_berlin`, domain: "berlin.example", timezone: "Europe/Berlin" },
  { id: `rolled_${run}_la`, domain: "la.example", timezone: "America/Los_Angeles" },
];
const DAYS = ["2026-05-30", "2026-05-31", "2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05", "2026-06-06"];
const range: [string, string] = ["2026-06-01", "2026-06-04"];
const rows: EventRow[] = [];

const withoutShare = (metrics: string[]) => metrics.filter((metric) => metric !== "percentage");
/** Every query shape the rollups answer: totals, each visit dimension, the top pages. */
const ROLLED_SETS: [string[], string[]][] = [
  [[], withoutShare(VISIT_METRICS)],
  [["event:page"], ["visitors", "pageviews", "events"]],
  ...VISIT_DIMENSIONS.map((d): [string[], string[]] => [[d], withoutShare(isVisitOnlyDimension(d) ? VISIT_ONLY_METRICS : VISIT_METRICS)]),
];

/** Where local days are UTC days, the daily series' event metrics too. */
const setsOf = (site: TruthSite): [string[], string[]][] => (site.timezone === "UTC" ? [...ROLLED_SETS, [["time:day"], ["visitors", "pageviews", "events"]]] : ROLLED_SETS);

async function rollAll(site: TruthSite) {
  for (const day of DAYS) await rollDay(client, site.id, day, Date.now(), 0);
}

beforeAll(async () => {
  // A seed of its own: inserts are deduplicated by their event ids (lib/clickhouse/insert.ts), and other suites generate with 7, 11 and 42.
  const options = { seed: 29, sites, firstDay: "2026-06-01", days: 5, visitsPerSiteDay: 60, duplicateShare: 0.02 };
  for (const batch of generateEventBatches(options, 2_000)) {
    const daily = withDailyVisitorIds(batch);
    rows.push(...daily);
    await insertEvents(client, daily);
  }
  for (const site of sites) await rollAll(site);
}, 120_000);

afterAll(() => client.close());

const queryOf = (site: TruthSite, metrics: string[], dimensions: string[]) =>
  normalizeQuery(v.parse(QueryBody, { site_id: site.id, metrics, date_range: range, dimensions }), { timezone: site.timezone, createdAt: new Date("2026-01-01") });
const contextOf = (site: TruthSite): CompileContext => ({ timezone: site.timezone, goals: [] });
const sorted = (results: { dimensions: string[]; metrics: number[] }[]) =>
  [...results].sort((a, b) => JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));

async function expectTruth(site: TruthSite, sets: [string[], string[]][]) {
  for (const [dimensions, metrics] of sets) {
    const { results } = await runQuery(client, queryOf(site, metrics, dimensions), contextOf(site));
    const expected = trueAnswer(rows, site.id, site.timezone, [], { metrics, dimensions, filters: [], date_range: range });
    expect(sorted(results), `${dimensions.join("+") || "totals"}: ${metrics.join(",")}`).toEqual(sorted(expected));
  }
}

describe("daily rollups", () => {
  it("are fed traffic whose visitor ids and visits cross UTC midnight, bridged and sent late", async () => {
    const days = new Map<string, Set<number>>();
    for (const row of rows.filter((row) => row.site_id === sites[0]!.id)) {
      days.set(row.visitor_id, (days.get(row.visitor_id) ?? new Set()).add(Math.floor(row.timestamp / 86_400_000)));
    }
    expect([...days.values()].filter((d) => d.size > 1).length, "visitor ids on two UTC days").toBeGreaterThan(5);
    // Days 2 apart with none between, inside the range: only reading two days either side of a day finds them.
    const [first, last] = range.map((day) => Date.parse(day) / 86_400_000);
    const skipping = (d: Set<number>) => d.size === 2 && Math.max(...d) - Math.min(...d) === 2 && Math.min(...d) >= first! && Math.max(...d) <= last!;
    expect([...days.values()].filter(skipping).length, "visitor ids on two UTC days of the range with a day between (a late hit)").toBeGreaterThan(0);
    const [crossing] = await selectRows<{ visits: number }>(
      client,
      `SELECT count() AS visits FROM (SELECT session_id FROM sessions WHERE site_id = {site:String} GROUP BY session_id HAVING uniqExact(toDate(hour)) > 1)`,
      { site: sites[0]!.id },
    );
    expect(Number(crossing!.visits), "visits across UTC midnight").toBeGreaterThan(5);
  });

  it.each(sites.map((site) => [site.timezone, site] as const))("answer every shape they hold as the ground truth does: %s", async (_, site) => {
    const context = contextOf(site);
    for (const [dimensions, metrics] of setsOf(site)) {
      const query = queryOf(site, metrics, dimensions);
      const rolls = await validRolls(client, query, context);
      expect(readsRollups(query, { ...context, rolls }), `${dimensions.join("+") || "totals"} reads the rollups`).toBe(true);
    }
    await expectTruth(site, setsOf(site));
  }, 60_000);

  it.each(sites.map((site) => [site.timezone, site] as const))("answer the totals and every visit breakdown in one shared pass as the ground truth does: %s", async (_, site) => {
    const shared = ROLLED_SETS.filter(([dimensions]) => !dimensions.includes("event:page"));
    const items = shared.map(([dimensions, metrics], index) => ({ index, query: queryOf(site, metrics, dimensions), context: contextOf(site) }));
    const tasks = await batchTasks(client, items);
    expect(tasks.map((task) => task.length)).toEqual([shared.length]);
    const answers = await runCombined(client, tasks[0]!.map((item) => item.query), tasks[0]![0]!.context);
    shared.forEach(([dimensions, metrics], i) => {
      const expected = trueAnswer(rows, site.id, site.timezone, [], { metrics, dimensions, filters: [], date_range: range });
      expect(sorted(answers[i]!.results), `${dimensions.join("+") || "totals"}: ${metrics.join(",")}`).toEqual(sorted(expected));
    });
  }, 60_000);

  it("leave every other shape to the raw paths, which still equal the ground truth", async () => {
    // Goal breakdowns need goals, which this site has none of.
    await expectTruth(sites[0]!, DIMENSION_SETS.filter(([dimensions]) => !dimensions.includes("event:goal")));
  }, 60_000);

  it("read a day written to since its roll raw, until the next roll", async () => {
    const [site] = sites;
    const [late] = rows.filter((row) => row.site_id === site!.id && new Date(row.timestamp).toISOString().startsWith("2026-06-03") && row.name === "pageview");
    const resent = { ...late!, event_id: `${late!.event_id}_late`, visitor_id: "42", session_id: "4242", timestamp: late!.timestamp + 1 };
    await insertEvents(client, [resent]);
    rows.push(resent);
    const rolledDays = async () => (await validRolls(client, queryOf(site!, ["visitors"], []), contextOf(site!))).map((roll) => roll.day);
    // The insert makes every roll that reads 2026-06-03 stale: its own, and those of the two days either side.
    expect(await rolledDays()).toEqual([]);
    await expectTruth(site!, [...ROLLED_SETS.slice(0, 2), ...setsOf(site!).slice(-1)]);
    const due = (await dueDays(client, Date.now(), 100_000)).filter((day) => day.site_id === site!.id).map((day) => day.day).sort();
    expect(due).toEqual(["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05"]);
    for (const day of due) await rollDay(client, site!.id, day, Date.now(), 0);
    expect(await rolledDays()).toEqual(["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"]);
    await expectTruth(site!, setsOf(site!));
  }, 60_000);

  it("leave days holding imported Umami events raw: their visitor ids last longer than a day", async () => {
    const [site] = sites;
    const imported = ["2026-06-01", "2026-06-04"].map((day, i) => ({
      ...rows.find((row) => row.site_id === site!.id && row.name === "pageview")!,
      event_id: `${UMAMI_EVENT_PREFIX}${run}_${i}`,
      visitor_id: "777",
      session_id: String(7770 + i),
      timestamp: Date.parse(`${day}T10:00:00Z`),
    }));
    await insertEvents(client, imported);
    rows.push(...imported);
    const due = (await dueDays(client, Date.now(), 100_000)).filter((day) => day.site_id === site!.id);
    for (const { day } of due) await rollDay(client, site!.id, day, Date.now(), 0);
    const rolled = await validRolls(client, queryOf(site!, ["visitors"], []), contextOf(site!));
    expect(rolled.map((roll) => roll.day)).toEqual(["2026-06-02", "2026-06-03"]);
    await expectTruth(site!, setsOf(site!));
  }, 60_000);
});
