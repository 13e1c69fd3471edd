import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { type ClickHouseConfig, connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { batchTasks } from "@pixel/workers/api/src/stats/batch";
import { dueDays, rollDay } from "@pixel/workers/api/src/stats/rollups/roll";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import type { CompileContext } from "@pixel/workers/api/src/stats/planner";
import { runCombined, runQuery, STATS_SETTINGS } from "@pixel/workers/api/src/stats/run";
import { startClickHouseServer } from "../clickhouse-server/server";
import type { TruthSite } from "../ground-truth/generate";
import { generateTraffic } from "./traffic";
import type { Query as DashboardQuery, SimpleFilter } from "@pixel/pages/dashboard/src/api/types";
import { CARDS, cardQueryLimit } from "@pixel/pages/dashboard/src/breakdowns";
import { breakdownQuery, timeseriesQuery, totalsQuery } from "@pixel/pages/dashboard/src/stats";
import { TOP_METRICS } from "@pixel/pages/dashboard/src/view";
import { type Benchmark, type BenchRow, loadAverage } from "./report";

/** The large data set: the events in the big site's 30 days that the published figures and the issue's goals speak of. */
const LARGE_EVENTS = 10_000_000;
export const TARGET_EVENTS = Number(process.env.PIXEL_BENCH_EVENTS ?? LARGE_EVENTS);
/** Off (--without-comparison), only RANGE's 30 days are generated and no overview is timed with the comparison on. */
const WITH_COMPARISON = process.env.PIXEL_BENCH_COMPARISON !== "off";
const PERIODS = WITH_COMPARISON ? 2 : 1;
const IS_LARGE = TARGET_EVENTS === LARGE_EVENTS && WITH_COMPARISON;
/** A big-site area's name: rows measured on another data set (--events, --without-comparison) sit beside the large data set's rows, not over them. */
export const bigSiteArea = (area: string) =>
  IS_LARGE ? area : `${area} at ${TARGET_EVENTS.toLocaleString("en-US")} events${WITH_COMPARISON ? "" : ", no comparison period"}`;
const QUERIES = bigSiteArea("queries");
const RUNS = Number(process.env.PIXEL_BENCH_RUNS ?? 15);
export const SITE: TruthSite = { id: "bench_site", domain: "big.example", timezone: "UTC" };
/** The 30 days the overview reads, each holding TARGET_EVENTS; the 30 before them are the comparison period. */
export const RANGE: [string, string] = ["2026-05-01", "2026-05-30"];
const PREVIOUS_FIRST_DAY = "2026-04-01";
const TARGET_MS = 300;
const TARGET_P95_MS = 600;
const TARGET_RATIO = 1.5;

type Variant = { label: string; filters: SimpleFilter[]; compare: boolean };
const VARIANTS = ([
  { label: "no filter", filters: [], compare: false },
  // The generator's top path and country (rank 0): filters that keep the most rows.
  { label: "a page filter", filters: [["is", "event:page", ["/blog/0"]]], compare: false },
  { label: "a country filter", filters: [["is", "visit:country", ["AA"]]], compare: false },
  { label: "the comparison on", filters: [], compare: true },
] satisfies Variant[]).filter((variant) => WITH_COMPARISON || !variant.compare);

/**
 * The dashboard's overview, built by the dashboard's own code: top stats, the daily chart, and every card's first tab
 * (the properties card asks only once scrolled to; the realtime panel is not the overview's).
 */
function dashboardOverview(siteId: string, variant: Variant): DashboardQuery[] {
  const scope = { siteId, range: RANGE, filters: variant.filters };
  const compared = (query: DashboardQuery): DashboardQuery =>
    variant.compare ? { ...query, include: { ...query.include, comparisons: { mode: "previous_period" } } } : query;
  const cards = CARDS.map((card) => {
    const tab = card.tabs[0]!;
    return breakdownQuery(scope, tab, { metrics: tab.metrics, limit: cardQueryLimit(tab) });
  });
  return [compared(totalsQuery(scope, TOP_METRICS)), compared(timeseriesQuery(scope, "visitors", "day")), ...cards];
}

/** A folder that keeps the bench database between runs (generating it takes minutes); unset, a fresh temporary one. */
const KEPT_DATA_DIR = process.env.PIXEL_BENCH_DATA;

const queriesBench: Benchmark = (progress) =>
  withBigSite("queries", progress, async (client, { kept, loadSeconds, rolled }) => {
    const range = { site: SITE.id, from: RANGE[0], to: RANGE[1] };
    const count = async (sql: string) => Number((await selectRows<{ n: number }>(client, sql, range))[0]!.n);
    const shape = await selectRows<Record<string, number>>(
      client,
      `SELECT count() AS events, uniqExact(visitor_id) AS visitors, uniqExact(session_id) AS visits, uniqExact(pathname) AS paths,
         uniqExact(referrer_host) AS referrers, uniqExact(city) AS cities, uniqExact(country) AS countries, uniqExact(browser_version) AS versions
       FROM events WHERE site_id = {site:String} AND toDate(timestamp) BETWEEN {from:Date} AND {to:Date}`,
      range,
    );
    const s = Object.fromEntries(Object.entries(shape[0]!).map(([key, value]) => [key, Number(value).toLocaleString("en-US")]));
    const sessions = await count("SELECT count() AS n FROM sessions WHERE site_id = {site:String} AND toDate(hour) BETWEEN {from:Date} AND {to:Date}");
    const pages = await count("SELECT count() AS n FROM pages WHERE site_id = {site:String} AND toDate(hour) BETWEEN {from:Date} AND {to:Date}");
    const pageVisits = await count("SELECT count() AS n FROM page_visits WHERE site_id = {site:String} AND toDate(hour) BETWEEN {from:Date} AND {to:Date}");
    const parts = await count("SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active");
    const rows: BenchRow[] = [
      {
        area: QUERIES,
        measure: "events in the overview's 30 days, one site",
        value: s.events!,
        note: `${kept ? `generated inside ClickHouse earlier, kept in PIXEL_BENCH_DATA` : `generated inside ClickHouse in ${loadSeconds.toFixed(0)} s`} ${WITH_COMPARISON ? "(the 30 days before too, for the comparison)" : "(only these 30 days: --without-comparison, so no row with the comparison on)"}: ${s.visitors} visitors, ${s.visits} visits, ${s.paths} paths (Zipf), ${s.referrers} referrers, ${s.cities} cities, ${s.countries} countries, ${s.versions} browser versions; ${sessions.toLocaleString("en-US")} rows of the sessions table, ${pages.toLocaleString("en-US")} of the pages table, ${pageVisits.toLocaleString("en-US")} of page_visits, ${parts} active parts of events (no OPTIMIZE)`,
      },
    ];
    if (rolled.days) {
      rows.push({
        area: QUERIES,
        measure: "rolling up a day (the api's cron, in the background)",
        value: `${Math.round((rolled.seconds * 1000) / rolled.days)} ms`,
        note: `mean over the ${rolled.days} days this run rolled (all sites of the database; kept data keeps its valid rolls); ${loadAverage()}`,
      });
    }
    const rawScan = () =>
      selectRows(
        client,
        "SELECT count(), uniqExact(visitor_id), uniqExact(session_id) FROM events WHERE site_id = {site:String} AND toDate(timestamp) BETWEEN {from:Date} AND {to:Date}",
        range,
        STATS_SETTINGS,
      );
    const measure = async (merged: string) => {
      progress(`one exact raw scan${merged}: warming up`);
      await rawScan();
      const scan = median(await timeRuns(rawScan, RUNS));
      rows.push({ area: QUERIES, measure: `one exact scan of the raw events (count, uniqExact visitor, uniqExact session)${merged}: median`, value: `${scan} ms`, note: `${RUNS} runs; ${loadAverage()}` });
      for (const variant of VARIANTS) {
        // Unfiltered, the rollups answer most of the overview: the same overview read from raw rows too, labelled.
        for (const rollups of variant.filters.length ? [true] : [true, false]) {
          const path = rollups ? "" : ", raw rows (no rollups)";
          const items = dashboardOverview(SITE.id, variant).map((query, index) => ({
            index,
            query: normalizeQuery(v.parse(QueryBody, query), { timezone: SITE.timezone, createdAt: new Date("2026-01-01") }),
            context: { timezone: SITE.timezone, goals: [], sessionsTable: true, rollups } satisfies CompileContext,
          }));
          // As the api answers the dashboard's batch (workers/api/src/stats/routes.ts): the tasks in parallel.
          const answer = async () => {
            const tasks = await batchTasks(client, items);
            return Promise.all(tasks.map((task) => (task.length > 1 ? runCombined(client, task.map((item) => item.query), task[0]!.context) : runQuery(client, task[0]!.query, task[0]!.context))));
          };
          const label = `${variant.label}${path}${merged}`;
          progress(`overview with ${label}: warming up`);
          await answer();
          const times = await timeRuns(answer, RUNS);
          progress(`overview with ${label}: median ${median(times)} ms`);
          // The goals are the large data set's, as the dashboard reads it.
          const headline = !merged && rollups && IS_LARGE;
          rows.push({
            area: QUERIES,
            measure: `overview as the dashboard asks for it, ${label}: median / p95`,
            value: `${median(times)} / ${p95(times)} ms`,
            ...(headline && { target: `< ${TARGET_MS} / < ${TARGET_P95_MS} ms`, met: median(times) < TARGET_MS && p95(times) < TARGET_P95_MS }),
            note: `${RUNS} runs; ${items.length} queries as ${(await batchTasks(client, items)).length} tasks in parallel through the api's runQuery/runCombined (a query the rollups answer looks up its site's valid rolls first); ${loadAverage()}`,
          });
          const ratio = median(times) / scan;
          rows.push({
            area: QUERIES,
            measure: `overview, ${label} ÷ one exact raw scan (medians)`,
            value: `${ratio.toFixed(1)}×`,
            ...(headline && { target: `≤ ${TARGET_RATIO}×`, met: ratio <= TARGET_RATIO }),
            note: "same run",
          });
        }
      }
    };
    await measure("");
    if (process.env.PIXEL_BENCH_OPTIMIZED) {
      for (const table of ["events", "sessions", "pages", "page_visits"]) await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
      await measure(", after OPTIMIZE … FINAL");
    }
    return rows;
  });

/** The bench site's events in the generated periods, to tell whether a kept database holds this run's data. */
async function loadedEvents(client: ReturnType<typeof connectClickHouse>): Promise<number> {
  const rows = await selectRows<{ n: string }>(client, "SELECT count() AS n FROM events WHERE site_id = {site:String}", { site: SITE.id });
  return Number(rows[0]!.n);
}

/** One big site's traffic: TARGET_EVENTS in RANGE's 30 days and, unless --without-comparison, as many in the 30 days before. */
async function load(client: ReturnType<typeof connectClickHouse>, progress: (message: string) => void): Promise<void> {
  const periods = [[PREVIOUS_FIRST_DAY, 11], [RANGE[0], 7]] as const;
  for (const [firstDay, seed] of periods.slice(2 - PERIODS)) {
    progress(`generating ${TARGET_EVENTS.toLocaleString("en-US")} events from ${firstDay}`);
    await generateTraffic(client, { siteId: SITE.id, hostname: SITE.domain, firstDay, days: 30, events: TARGET_EVENTS, seed });
  }
}

type Client = ReturnType<typeof connectClickHouse>;

/** The longest wait for background merges after generating; past it the run measures anyway, and says so. */
const MERGE_WAIT_MS = 30 * 60_000;
const MERGES_QUIET_POLLS = 3;

/**
 * Waits until no background merge has run for a few seconds: the figures are of the parts that background merges
 * leave, not of merges still competing for the CPU with the queries measured (no OPTIMIZE either way).
 */
async function settleMerges(client: Client, progress: (message: string) => void): Promise<void> {
  const started = Date.now();
  for (let quiet = 0, poll = 0; quiet < MERGES_QUIET_POLLS; poll++) {
    const [state] = await selectRows<{ merges: string; parts: string }>(
      client,
      `SELECT (SELECT count() FROM system.merges WHERE database = currentDatabase()) AS merges,
              (SELECT count() FROM system.parts WHERE database = currentDatabase() AND active) AS parts`,
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    if (poll % 15 === 0) progress(`waiting for background merges: ${state!.merges} running, ${state!.parts} active parts (${seconds} s)`);
    if (Date.now() - started > MERGE_WAIT_MS) return progress(`still merging after ${seconds} s: measuring with merges in flight`);
    quiet = Number(state!.merges) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/**
 * The generator's source, hashed and kept beside the data: a kept database that another generator made (or a run
 * stopped half way) is generated again from empty tables, never reused or added to.
 */
const GENERATOR = createHash("sha256").update(readFileSync(new URL("./traffic.ts", import.meta.url))).digest("hex");
const GENERATOR_FILE = "pixel-bench-generator.sha256";
const keptGenerator = (dataDir: string) => (existsSync(join(dataDir, GENERATOR_FILE)) ? readFileSync(join(dataDir, GENERATOR_FILE), "utf8") : undefined);

/**
 * A local ClickHouse holding the big site's traffic (load) for `use`: each report's benchmark. It is fresh and removed
 * afterwards, or the one kept in PIXEL_BENCH_DATA, reused when this generator made it with this run's events.
 */
export async function withBigSite<T>(
  name: string,
  progress: (message: string) => void,
  use: (client: Client, loaded: { kept: boolean; loadSeconds: number; rolled: Rolled; clickHouse: ClickHouseConfig }) => Promise<T>,
): Promise<T> {
  const dataDir = KEPT_DATA_DIR ?? mkdtempSync(join(tmpdir(), `pixel-bench-${name}-`));
  const server = await startClickHouseServer({ port: 0, dataDir });
  try {
    // A generating insert can take minutes on a busy machine, and 100M events' overview too; the client waits as long.
    const config = { url: server.url, database: "pixel_bench", limits: { max_execution_time: 600 } };
    await migrateClickHouse(config, () => {});
    const client = connectClickHouse(config);
    try {
      const loading = Date.now();
      const kept = KEPT_DATA_DIR !== undefined && keptGenerator(dataDir) === GENERATOR && (await loadedEvents(client)) === PERIODS * TARGET_EVENTS;
      if (kept) progress(`reusing the ${TARGET_EVENTS.toLocaleString("en-US")} events kept in ${KEPT_DATA_DIR}`);
      else {
        if (KEPT_DATA_DIR !== undefined) {
          await client.command({ query: "DROP DATABASE IF EXISTS {database:Identifier}", query_params: { database: config.database } });
          await migrateClickHouse(config, () => {});
        }
        await load(client, progress);
        if (KEPT_DATA_DIR !== undefined) writeFileSync(join(dataDir, GENERATOR_FILE), GENERATOR);
      }
      const loadSeconds = (Date.now() - loading) / 1000;
      await settleMerges(client, progress);
      const rolled = await rollDays(client, progress);
      return await use(client, { kept, loadSeconds, rolled, clickHouse: config });
    } finally {
      await client.close();
    }
  } finally {
    await server.close();
    if (!KEPT_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Rolled {
  days: number;
  seconds: number;
}

/** Rolls every due day, as the api's cron would have by now (rollups/job.ts): kept data keeps its valid rolls. */
async function rollDays(client: Client, progress: (message: string) => void): Promise<Rolled> {
  const started = Date.now();
  let days = 0;
  for (let due = await dueDays(client, Date.now(), 10_000); due.length; due = await dueDays(client, Date.now(), 10_000)) {
    for (const { site_id, day } of due) {
      await rollDay(client, site_id, day);
      progress(`rolled up ${site_id}'s ${day} (${++days} days)`);
    }
  }
  return { days, seconds: (Date.now() - started) / 1000 };
}

/** One report on the big site's 30 days, warmed up once then run RUNS times in sequence: its median and p95. */
export async function timedRow(area: string, measure: string, report: () => Promise<unknown>, progress: (message: string) => void): Promise<BenchRow> {
  await report();
  const times = await timeRuns(report, RUNS);
  progress(`${measure}: median ${median(times)} ms`);
  return {
    area: bigSiteArea(area),
    measure: `${measure}: median / p95`,
    value: `${median(times)} / ${p95(times)} ms`,
    note: `${RUNS} runs in sequence; ${TARGET_EVENTS.toLocaleString("en-US")} events in the 30 days, no OPTIMIZE; ${loadAverage()}`,
  };
}

export async function timeRuns(action: () => Promise<unknown>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await action();
    times.push(Math.round(performance.now() - started));
  }
  return times.sort((a, b) => a - b);
}

/** The big site's 30 days as a query of the v2 language. */
export const bigSiteQuery = (filters: unknown[] = []) =>
  normalizeQuery(v.parse(QueryBody, { site_id: SITE.id, metrics: ["visitors"], date_range: RANGE, filters }), { timezone: SITE.timezone, createdAt: new Date("2026-01-01") });

export const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
export const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;

export default queriesBench;
