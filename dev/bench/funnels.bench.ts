import type { FunnelStep } from "@pixel/lib/funnels";
import { runDropOff, runFunnel } from "@pixel/workers/api/src/funnels/report";
import { bigSiteQuery, SITE, timedRow, withBigSite } from "./queries.bench";
import type { Benchmark, BenchRow } from "./report";

/** The generated traffic's most visited paths (dev/bench/traffic.ts: /<section>/<rank>), in rank order. */
const STEPS: FunnelStep[] = [0, 1, 2, 3].map((rank) => ({ kind: "page", pagePath: `/*/${rank}` }));

/**
 * The big site's 30-day funnel report and its first step's drop-off on the queries benchmark's data set, as
 * background merges leave it, without and with a filter.
 */
const funnelsBench: Benchmark = (progress) =>
  withBigSite("funnels", progress, async (client) => {
    const context = { timezone: SITE.timezone, goals: [] };
    const rows: BenchRow[] = [];
    for (const [label, filters] of [["no filters", []], ["visit:country is not AA", [["is_not", "visit:country", ["AA"]]]]] as const) {
      const query = bigSiteQuery([...filters]);
      rows.push(await timedRow("funnels", `4-step funnel report, one site, 30 days, ${label}`, () => runFunnel(client, STEPS, query, context), progress));
      rows.push(await timedRow("funnels", `the first step's drop-off next pages, one site, 30 days, ${label}`, () => runDropOff(client, STEPS, 1, query, context), progress));
    }
    return rows;
  });

export default funnelsBench;
