import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { type CohortKind, type CohortPeriod, type CohortRow, type CohortUnit, MAX_COHORTS } from "@pixel/lib/cohorts";
import { percentOf } from "@pixel/lib/stats/percent";
import { QueryError } from "@pixel/lib/stats/error";
import { localBounds } from "@pixel/lib/stats/dates";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import { timeLabels } from "@pixel/lib/stats/time-labels";
import { addDays } from "@pixel/lib/time";
import { BUCKET_FUNCTION, EVENTS } from "../stats/catalog";
import { eventsInRangeSql, matchingVisitsSql } from "../stats/compile";
import { Params } from "../stats/params";
import type { CompileContext } from "../stats/planner";
import { STATS_SETTINGS } from "../stats/run";

/** The first and last local day a date range touches. */
function rangeDays(range: [string, string]): [string, string] {
  const [from, to] = localBounds(range);
  return [from.slice(0, 10), to.endsWith("00:00:00") ? addDays(to.slice(0, 10), -1) : to.slice(0, 10)];
}

/**
 * Browsers by the period of their first visit (pixel.js's first-seen day), and those active in each later period.
 * A browser's first page load in a period is the one whose previous page load came before the period: its pageview
 * hits carry that load's visitor id, so each browser counts once per period without any id that outlives a day.
 */
export function compileBrowserRetention(period: CohortPeriod, query: NormalizedQuery, context: CompileContext) {
  const params = new Params();
  const bucket = BUCKET_FUNCTION[period];
  const [first, last] = rangeDays(query.date_range);
  const periodOfHit = `${bucket}(toDate(timestamp, ${params.add(context.timezone, "String")}))`;
  const where = [
    eventsInRangeSql(query, context, params),
    "name = 'pageview'",
    `first_visit BETWEEN ${params.add(first, "Date")} AND ${params.add(last, "Date")}`,
    `previous_visit < ${periodOfHit}`,
    ...(query.filters.length ? [`session_id IN (${matchingVisitsSql(query, context, params)})`] : []),
  ];
  const sql = [
    `SELECT toString(${bucket}(first_visit)) AS cohort, toString(${periodOfHit}) AS period,`,
    "  uniqExact(visitor_id) AS visitors",
    `FROM ${EVENTS}`,
    `WHERE ${where.join("\n  AND ")}`,
    "GROUP BY cohort, period",
  ].join("\n");
  return { sql, params: params.values };
}

/**
 * Signed-in users by the period of the first event ever stored with their `user_id` on the site (looked up before the
 * range too: a user first seen before it is in none of its cohorts), and those with a pageview or custom event in
 * each later period, in a visit the filters select. Events after the range cannot be a first event in it, so the
 * look-up stops at the range's end. A hit stored twice changes neither a minimum nor a distinct
 * count, so the table is read without FINAL.
 */
export function compileUserRetention(period: CohortPeriod, query: NormalizedQuery, context: CompileContext) {
  const params = new Params();
  const bucket = BUCKET_FUNCTION[period];
  const tz = params.add(context.timezone, "String");
  const [first, last] = rangeDays(query.date_range);
  const [, end] = localBounds(query.date_range);
  const signedIn = "user_id != '' AND name != 'engagement'";
  const active = [
    eventsInRangeSql(query, context, params),
    signedIn,
    ...(query.filters.length ? [`session_id IN (${matchingVisitsSql(query, context, params)})`] : []),
  ];
  const sql = [
    "SELECT toString(cohort) AS cohort, toString(period) AS period, uniqExact(user_id) AS visitors",
    `FROM (SELECT DISTINCT user_id, ${bucket}(toDate(timestamp, ${tz})) AS period FROM events WHERE ${active.join(" AND ")}) AS active`,
    "INNER JOIN (",
    `  SELECT user_id, toDate(min(timestamp), ${tz}) AS first_day, ${bucket}(first_day) AS cohort FROM events`,
    `  WHERE site_id = ${params.add(query.site_id, "String")} AND ${signedIn} AND timestamp < toDateTime64(${params.add(end, "String")}, 3, ${tz})`,
    "  GROUP BY user_id",
    `  HAVING first_day BETWEEN ${params.add(first, "Date")} AND ${params.add(last, "Date")}`,
    ") AS firsts USING (user_id)",
    "GROUP BY cohort, period",
  ].join("\n");
  return { sql, params: params.values };
}

const COMPILE_RETENTION: Record<CohortUnit, typeof compileUserRetention> = { browser: compileBrowserRetention, user: compileUserRetention };

/** The periods of a report's date range, oldest first; a 400 when there are more than a table can show. */
export function cohortPeriods(period: CohortPeriod, query: NormalizedQuery, timezone: string): string[] {
  const labels = timeLabels(`time:${period}`, query.date_range, timezone);
  if (labels.length > MAX_COHORTS) {
    throw new QueryError(`date_range: a retention table by ${period} covers at most ${MAX_COHORTS} ${period}s; ask for a longer period or a shorter range`);
  }
  return labels;
}

export async function runRetention(
  client: ClickHouseClient,
  { period, unit }: CohortKind,
  query: NormalizedQuery,
  context: CompileContext,
): Promise<CohortRow[]> {
  const periods = cohortPeriods(period, query, context.timezone);
  const { sql, params } = COMPILE_RETENTION[unit](period, query, context);
  const rows = await selectRows<{ cohort: string; period: string; visitors: string | number }>(client, sql, params, STATS_SETTINGS);
  const active = new Map(rows.map((row) => [`${row.cohort} ${row.period}`, Number(row.visitors)]));
  return periods.map((cohort, c) => {
    const visitors = active.get(`${cohort} ${cohort}`) ?? 0;
    const later = periods.slice(c).map((at) => active.get(`${cohort} ${at}`) ?? 0);
    return { cohort, visitors, periods: later.map((count) => ({ visitors: count, share: percentOf(count, visitors) })) };
  });
}
