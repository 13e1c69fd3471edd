import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { connectClickHouse } from "../../lib/clickhouse/client";
import { migrateClickHouse } from "../../lib/clickhouse/node/migrate";
import { normalizeQuery, QueryBody } from "../../lib/stats/query";
import { runPropertyKeys, runScrollDepth } from "../../workers/api/src/stats/page-reports";
import { runQuery } from "../../workers/api/src/stats/run";
import { startClickHouseServer } from "../clickhouse-server/server";
import { load, median, p95, RANGE, SITE, TARGET_EVENTS, timeRuns } from "./queries.bench";
import type { Benchmark } from "./report";

const RUNS = Number(process.env.PIXEL_BENCH_RUNS ?? 15);
/** The generated traffic's most visited path (dev/bench/traffic.ts: /<section>/<rank>). */
const PAGE = "/blog/0";

/**
 * The properties card (its keys and a key's values) and a page's scroll depth distribution, on the queries
 * benchmark's 30 days as background merges leave them. The generated traffic carries no custom properties, so the
 * properties rows time the scan of the range's events and their (empty) props, not a grouping of many values.
 */
const pageReportsBench: Benchmark = async (progress) => {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-bench-page-reports-"));
  const server = await startClickHouseServer({ port: 0, dataDir });
  try {
    const config = { url: server.url, database: "pixel_bench", limits: { max_execution_time: 120 } };
    await migrateClickHouse(config, () => {});
    const client = connectClickHouse(config);
    await load(client, progress, SITE.id);
    const context = { timezone: SITE.timezone, goals: [] };
    const query = (body: object) =>
      normalizeQuery(v.parse(QueryBody, { site_id: SITE.id, metrics: ["visitors"], date_range: RANGE, ...body }), { timezone: SITE.timezone, createdAt: new Date("2026-01-01") });
    const scope = query({});
    const reports: [string, () => Promise<unknown>][] = [
      ["property keys (the properties card's picker)", () => runPropertyKeys(client, scope, context)],
      [
        "a property's values with visitors, events and share (the properties card)",
        () => runQuery(client, query({ metrics: ["visitors", "events", "percentage"], dimensions: ["event:props:plan"], pagination: { limit: 9 } }), context),
      ],
      [`scroll depth distribution of ${PAGE}`, () => runScrollDepth(client, PAGE, scope, context)],
    ];
    const rows = [];
    for (const [label, report] of reports) {
      await report();
      const times = await timeRuns(report, RUNS);
      progress(`${label}: median ${median(times)} ms`);
      rows.push({
        area: "reports",
        measure: `${label}, one site, 30 days: median / p95`,
        value: `${median(times)} / ${p95(times)} ms`,
        note: `${RUNS} runs in sequence; ${TARGET_EVENTS.toLocaleString("en-US")} events in the 30 days, no OPTIMIZE`,
      });
    }
    await client.close();
    return rows;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export default pageReportsBench;
