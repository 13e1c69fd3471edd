import type { FunnelStep } from "../../lib/funnels";
import { runFunnel } from "../../workers/api/src/funnels/report";
import { bigSiteQuery, onBigSite, reportRow, SITE } from "./queries.bench";
import type { Benchmark } from "./report";

/** The generated traffic's most visited paths (dev/bench/traffic.ts: /<section>/<rank>), in rank order. */
const STEPS: FunnelStep[] = [0, 1, 2, 3].map((rank) => ({ kind: "page", pagePath: `/*/${rank}` }));

/** The big site's 30-day funnel report on the queries benchmark's data set, as background merges leave it, without and with a filter. */
const funnelsBench: Benchmark = (progress) =>
  onBigSite("funnels", progress, async (client) => {
    const rows = [];
    for (const [label, filters] of [["no filters", []], ["visit:country is not AA", [["is_not", "visit:country", ["AA"]]]]] as const) {
      const report = () => runFunnel(client, STEPS, bigSiteQuery([...filters]), { timezone: SITE.timezone, goals: [] });
      rows.push(await reportRow("funnels", `4-step funnel report, one site, 30 days, ${label}`, report, progress));
    }
    return rows;
  });

export default funnelsBench;
