import { COHORT_PERIODS } from "@pixel/lib/cohorts";
import { runRetention } from "@pixel/workers/api/src/cohorts/report";
import { bigSiteQuery, withBigSite, timedRow, SITE } from "./queries.bench";
import type { Benchmark } from "./report";

/** The big site's 30-day retention table by day, week and month on the queries benchmark's data set, as background merges leave it. */
const retentionBench: Benchmark = (progress) =>
  withBigSite("retention", progress, async (client) => {
    const rows = [];
    for (const period of COHORT_PERIODS) {
      const report = () => runRetention(client, { period, unit: "browser" }, bigSiteQuery(), { timezone: SITE.timezone, goals: [] });
      rows.push(await timedRow("retention", `retention cohorts by ${period}, one site, 30 days, no filters`, report, progress));
    }
    return rows;
  });

export default retentionBench;
