import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { connectClickHouse } from "../../lib/clickhouse/client";
import { migrateClickHouse } from "../../lib/clickhouse/node/migrate";
import { COHORT_PERIODS } from "../../lib/cohorts";
import { normalizeQuery, QueryBody } from "../../lib/stats/query";
import { runRetention } from "../../workers/api/src/cohorts/report";
import { startClickHouseServer } from "../clickhouse-server/server";
import { load, median, p95, RANGE, SITE, TARGET_EVENTS, timeRuns } from "./queries.bench";
import type { Benchmark } from "./report";

const RUNS = Number(process.env.PIXEL_BENCH_RUNS ?? 15);

/** The big site's 30-day retention table by day, week and month on the queries benchmark's data set, as background merges leave it. */
const retentionBench: Benchmark = async (progress) => {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-bench-retention-"));
  const server = await startClickHouseServer({ port: 0, dataDir });
  try {
    const config = { url: server.url, database: "pixel_bench", limits: { max_execution_time: 120 } };
    await migrateClickHouse(config, () => {});
    const client = connectClickHouse(config);
    await load(client, progress, SITE.id);
    const rows = [];
    const query = normalizeQuery(v.parse(QueryBody, { site_id: SITE.id, metrics: ["visitors"], date_range: RANGE }), { timezone: SITE.timezone, createdAt: new Date("2026-01-01") });
    for (const period of COHORT_PERIODS) {
      const report = () => runRetention(client, period, query, { timezone: SITE.timezone, goals: [] });
      await report();
      const times = await timeRuns(report, RUNS);
      progress(`by ${period}: median ${median(times)} ms`);
      rows.push({
        area: "retention",
        measure: `retention cohorts by ${period}, one site, 30 days, no filters: median / p95`,
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

export default retentionBench;
