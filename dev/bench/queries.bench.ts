import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { connectClickHouse, selectRows } from "../../lib/clickhouse/client";
import { migrateClickHouse } from "../../lib/clickhouse/node/migrate";
import { batchTasks } from "../../workers/api/src/stats/batch";
import { normalizeQuery, QueryBody } from "../../lib/stats/query";
import { compileCombined, compileQuery } from "../../workers/api/src/stats/compile";
import { sitesOverview } from "../../workers/api/src/stats/overview";
import type { CompileContext } from "../../workers/api/src/stats/planner";
import { STATS_SETTINGS } from "../../workers/api/src/stats/run";
import { insertEvents } from "../../lib/clickhouse/tables/events";
import { startClickHouseServer } from "../clickhouse-server/server";
import { generateEventBatches, type TruthSite } from "../ground-truth/generate";
import type { Query as DashboardQuery } from "../../pages/dashboard/src/api/types";
import { CARDS, cardQueryLimit } from "../../pages/dashboard/src/breakdowns";
import { breakdownQuery, timeseriesQuery, totalsQuery } from "../../pages/dashboard/src/stats";
import { TOP_METRICS } from "../../pages/dashboard/src/view";
import type { Benchmark, BenchRow } from "./report";

/** ~5.1 events per visit with the generator's mix; 4 sites × 60 days. */
const EVENTS_PER_VISIT = 5.1;
export const TARGET_EVENTS = Number(process.env.PIXEL_BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.PIXEL_BENCH_RUNS ?? 15);
export const DAYS = 60;
export const SITES: TruthSite[] = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"].map((timezone, i) => ({
  id: `bench_site_${i}`,
  domain: `site${i}.example`,
  timezone,
}));
export const RANGE: [string, string] = ["2026-05-01", "2026-05-30"];
const TARGET_MS = 300;

/** The dashboard's overview, built by the dashboard's own code: top stats, the daily chart, and each card's first tab. */
function dashboardOverview(siteId: string): Record<string, DashboardQuery> {
  const scope = { siteId, range: RANGE, filters: [] };
  const cards = Object.fromEntries(
    ["sources", "pages", "locations", "devices"].map((id) => {
      const card = CARDS.find((entry) => entry.id === id)!;
      const tab = card.tabs[0]!;
      return [`${card.title.toLowerCase()} (${tab.label.toLowerCase()})`, breakdownQuery(scope, tab, { metrics: tab.metrics, limit: cardQueryLimit(tab) })];
    }),
  );
  return { "top stats": totalsQuery(scope, TOP_METRICS), "time series": timeseriesQuery(scope, "visitors", "day"), ...cards };
}

const queriesBench: Benchmark = async (progress) => {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-bench-clickhouse-"));
  const server = await startClickHouseServer({ port: 0, dataDir });
  try {
    const config = { url: server.url, database: "pixel_bench", limits: { max_execution_time: 120 } };
    await migrateClickHouse(config, () => {});
    const client = connectClickHouse(config);
    const inserted = await load(client, progress);
    const site = SITES[0]!;
    const overview = Object.entries(dashboardOverview(site.id)).map(([name, query]) => ({
      name,
      query: normalizeQuery(v.parse(QueryBody, query), { timezone: site.timezone, createdAt: new Date("2026-01-01") }),
    }));
    const contextOf = (sessionsTable: boolean): CompileContext => ({ timezone: site.timezone, goals: [], sessionsTable });
    const compileOverview = (sessionsTable: boolean) => overview.map(({ name, query }) => ({ name, ...compileQuery(query, contextOf(sessionsTable)) }));
    const compiled = compileOverview(true);
    const eventsOnly = compileOverview(false);
    // As the api answers the dashboard's batch (workers/api/src/stats/batch.ts): what can share a pass is one SELECT.
    const items = overview.map(({ query }, index) => ({ index, query, context: contextOf(true) }));
    const batched = batchTasks(items).map((task) => {
      const name = task.map((item) => overview[item.index]!.name).join(" + ");
      return task.length > 1 ? { name, ...compileCombined(task.map((item) => item.query), contextOf(true)) } : { name, ...compileQuery(task[0]!.query, contextOf(true)) };
    });
    const [{ scanned }] = (await selectRows<{ scanned: number }>(
      client,
      "SELECT count() AS scanned FROM events WHERE site_id = {site:String} AND toDate(timestamp) BETWEEN {from:Date} AND {to:Date}",
      { site: site.id, from: RANGE[0], to: RANGE[1] },
    )) as [{ scanned: number }];
    const [{ sessions }] = (await selectRows<{ sessions: number }>(
      client,
      "SELECT count() AS sessions FROM sessions WHERE site_id = {site:String} AND toDate(hour) BETWEEN {from:Date} AND {to:Date}",
      { site: site.id, from: RANGE[0], to: RANGE[1] },
    )) as [{ sessions: number }];
    const [{ pages }] = (await selectRows<{ pages: number }>(
      client,
      "SELECT count() AS pages FROM pages WHERE site_id = {site:String} AND toDate(hour) BETWEEN {from:Date} AND {to:Date}",
      { site: site.id, from: RANGE[0], to: RANGE[1] },
    )) as [{ pages: number }];
    const rows: BenchRow[] = [
      { area: "queries", measure: "events loaded", value: inserted.toLocaleString("en-US"), note: `${SITES.length} sites × ${DAYS} days; the overview reads one site's 30 days: ${Number(scanned).toLocaleString("en-US")} events, ${Number(sessions).toLocaleString("en-US")} rows of the sessions table, ${Number(pages).toLocaleString("en-US")} of the pages table (before merges)` },
    ];
    for (const table of ["events", "sessions", "pages"]) {
      progress(`merging parts (OPTIMIZE TABLE ${table} FINAL), as background merges would`);
      const merging = Date.now();
      await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
      rows.push({ area: "queries", measure: `OPTIMIZE TABLE ${table} FINAL after loading`, value: `${((Date.now() - merging) / 1000).toFixed(1)} s` });
    }
    const STORED = "the tables the api picks (per query below)";
    const QUERY_TIME = "query-time sessionization over events FINAL (the previous path)";
    const variants: [string, typeof compiled, boolean, string][] = [
      ["as the dashboard asks for it, one batch", batched, true, `${batched.length} SELECTs in parallel: ${batched.map((query) => query.name).join("; ")}`],
      ["each query on its own", compiled, true, STORED],
      ["each query on its own, the 6 one after another", compiled, false, STORED],
      ["events only (the api before the sessions table)", eventsOnly, true, QUERY_TIME],
      ["events only, the 6 queries one after another", eventsOnly, false, QUERY_TIME],
    ];
    const medians = new Map<string, number>();
    for (const [label, overview, parallel, how] of variants) {
      const run = (query: (typeof compiled)[number]) =>
        client.query({ query: query.sql, query_params: query.params, format: "JSONEachRow", clickhouse_settings: STATS_SETTINGS }).then((r) => r.json());
      const runOverview = async () => {
        if (parallel) return Promise.all(overview.map(run));
        for (const query of overview) await run(query);
      };
      progress(`overview (${label}): warming up`);
      await runOverview();
      const times = await timeRuns(runOverview, RUNS);
      progress(`overview (${label}): median ${median(times)} ms`);
      const asTheDashboard = overview === batched;
      rows.push({
        area: "queries",
        measure: `whole overview, one site, 30 days, ${label}: median / p95`,
        value: `${median(times)} / ${p95(times)} ms`,
        ...(asTheDashboard && { target: `median < ${TARGET_MS} ms`, met: median(times) < TARGET_MS }),
        note: `${RUNS} runs, ${parallel ? "in parallel" : "in sequence"}; ${how}`,
      });
      medians.set(label, median(times));
    }
    const ratio = medians.get("events only (the api before the sessions table)")! / medians.get("as the dashboard asks for it, one batch")!;
    rows.push({ area: "queries", measure: "whole overview: events only ÷ one batch (parallel medians)", value: `${ratio.toFixed(1)}×`, note: "same run" });
    const alone = (query: (typeof compiled)[number]) =>
      timeRuns(() => client.query({ query: query.sql, query_params: query.params, format: "JSONEachRow", clickhouse_settings: STATS_SETTINGS }).then((r) => r.json()), 5);
    for (const query of batched.filter((task) => task.name.includes(" + "))) {
      rows.push({ area: "queries", measure: `${query.name}, as one SELECT: median`, value: `${median(await alone(query))} ms`, note: `5 runs; reads ${tablesRead(query.sql)}` });
    }
    for (const [i, query] of compiled.entries()) {
      const [now, before] = [median(await alone(query)), median(await alone(eventsOnly[i]!))];
      rows.push({ area: "queries", measure: `${query.name} alone: median (events only)`, value: `${now} ms (${before} ms)`, note: `5 runs; reads ${tablesRead(query.sql)}` });
    }
    const atAGlance = await timeRuns(() => sitesOverview(client, SITES, new Date(`${RANGE[1]}T12:00:00Z`)), 5);
    rows.push({ area: "queries", measure: `all sites at a glance (GET /api/sites/overview), ${SITES.length} sites: median`, value: `${median(atAGlance)} ms`, note: "5 runs; one SELECT over the sessions table: 14 days of each site" });
    await client.close();
    return rows;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** Generated traffic for `sites` over 60 days from 2026-04-01, about `target` events in all. */
export async function load(
  client: ReturnType<typeof connectClickHouse>,
  progress: (message: string) => void,
  sites: TruthSite[] = SITES,
): Promise<number> {
  const visitsPerSiteDay = Math.max(1, Math.round(TARGET_EVENTS / EVENTS_PER_VISIT / sites.length / DAYS));
  const options = { seed: 7, sites, firstDay: "2026-04-01", days: DAYS, visitsPerSiteDay };
  let inserted = 0;
  let nextReport = 0;
  const started = Date.now();
  for (const batch of generateEventBatches(options, 50_000)) {
    inserted += await insertEvents(client, batch);
    if (inserted >= nextReport) {
      const rate = Math.round(inserted / ((Date.now() - started) / 1000));
      progress(`generated and inserted ${inserted.toLocaleString("en-US")} of ~${TARGET_EVENTS.toLocaleString("en-US")} events (${rate.toLocaleString("en-US")}/s)`);
      nextReport += 1_000_000;
    }
  }
  return inserted;
}

function tablesRead(sql: string): string {
  return [...new Set([...sql.matchAll(/FROM (\w+) FINAL/g)].map((match) => match[1]))].join(" and ");
}

async function timeRuns(action: () => Promise<unknown>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await action();
    times.push(Math.round(performance.now() - started));
  }
  return times.sort((a, b) => a - b);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;

export default queriesBench;
