import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { connectClickHouse } from "../../lib/clickhouse/client";
import { migrateClickHouse } from "../../lib/clickhouse/node/migrate";
import type { FunnelStep } from "../../lib/funnels";
import { normalizeQuery, QueryBody } from "../../lib/stats/query";
import { runDropOff, runFunnel } from "../../workers/api/src/funnels/report";
import { startClickHouseServer } from "../clickhouse-server/server";
import { load, median, p95, RANGE, SITE, TARGET_EVENTS, timeRuns } from "./queries.bench";
import type { Benchmark } from "./report";

const RUNS = Number(process.env.PIXEL_BENCH_RUNS ?? 15);
/** The generated traffic's most visited paths (dev/bench/traffic.ts: /<section>/<rank>), in rank order. */
const STEPS: FunnelStep[] = [0, 1, 2, 3].map((rank) => ({ kind: "page", pagePath: `/*/${rank}` }));

/** The big site's 30-day funnel report on the queries benchmark's data set, as background merges leave it, without and with a filter. */
const funnelsBench: Benchmark = async (progress) => {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-bench-funnels-"));
  const server = await startClickHouseServer({ port: 0, dataDir });
  try {
    const config = { url: server.url, database: "pixel_bench", limits: { max_execution_time: 120 } };
    await migrateClickHouse(config, () => {});
    const client = connectClickHouse(config);
    await load(client, progress, SITE.id);
    const site = SITE;
    const rows = [];
    for (const [label, filters] of [["no filters", []], ["visit:country is not AA", [["is_not", "visit:country", ["AA"]]]]] as const) {
      const query = normalizeQuery(v.parse(QueryBody, { site_id: site.id, metrics: ["visitors"], date_range: RANGE, filters }), { timezone: site.timezone, createdAt: new Date("2026-01-01") });
      const context = { timezone: site.timezone, goals: [] };
      const runs: [string, () => Promise<unknown>][] = [
        ["4-step funnel report", () => runFunnel(client, STEPS, query, context)],
        ["the first step's drop-off next pages", () => runDropOff(client, STEPS, 1, query, context)],
      ];
      for (const [name, report] of runs) {
        await report();
        const times = await timeRuns(report, RUNS);
        progress(`${name}, ${label}: median ${median(times)} ms`);
        rows.push({
          area: "funnels",
          measure: `${name}, one site, 30 days, ${label}: median / p95`,
          value: `${median(times)} / ${p95(times)} ms`,
          note: `${RUNS} runs in sequence; ${TARGET_EVENTS.toLocaleString("en-US")} events in the 30 days, no OPTIMIZE`,
        });
      }
    }
    await client.close();
    return rows;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export default funnelsBench;
