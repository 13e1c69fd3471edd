import { COHORT_PERIODS } from "@pixel/lib/cohorts";
import { runRetention } from "@pixel/workers/api/src/cohorts/report";
import { bigSiteQuery, withBigSite, timedRow, SITE } from "./queries.bench";
import type { Benchmark } from "./report";

/**
 * The big site's 30-day retention table by day, week and month on the queries benchmark's data set, as background
 * merges leave it; and by week for its signed-in users (a fifth of the visitors carry a user_id, traffic.ts).
 */
const retentionBench: Benchmark = (progress) =>
  withBigSite("retention", progress, async (client) => {
    const rows = [];
    const context = { timezone: SITE.timezone, goals: [] };
    for (const period of COHORT_PERIODS) {
      const report = () => runRetention(client, { period, unit: "browser" }, bigSiteQuery(), context);
      rows.push(await timedRow("retention", `retention cohorts by ${period}, one site, 30 days, no filters`, report, progress));
    }
    const users = () => runRetention(client, { period: "week", unit: "user" }, bigSiteQuery(), context);
    rows.push(await timedRow("retention", "retention cohorts of signed-in users (user_id) by week, one site, 30 days, no filters", users, progress));
    return rows;
  });

export default retentionBench;
