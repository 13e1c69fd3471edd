import type { ClickHouseClient } from "@clickhouse/client-web";
import { clickHouseTime, selectRows } from "@pixel/lib/clickhouse/client";
import { UMAMI_EVENT_PREFIX } from "@pixel/lib/import/umami";
import { VISIT_DIMENSIONS, type VisitDimension } from "@pixel/lib/stats/vocabulary";
import { STORED_VISIT_SQL, visitColumn, visitEnd } from "../catalog";

/**
 * Rolling a site's UTC day (migrations/0013_day_rollups.sql): the sums of the overview's metrics per visit dimension
 * value and per page, as a query over that day alone counts them. Readers add days up (read.ts).
 */

/** The dimensions a roll keeps: '' (the totals), each stored visit dimension, and pages. */
export const TOTALS = "";
export const PAGES_DIMENSION = "event:page";
export const ROLLED_VISIT_DIMENSIONS = VISIT_DIMENSIONS;

/** A roll reads the day after this margin, so an insert that its read may not see yet still makes the roll stale. */
const ROLL_MARGIN_MS = 60_000;

/** Days rolled per hourly run at most (1-3 s each at 10M events a month): a new install's backfill spreads over runs. */
export const ROLLS_PER_RUN = 50;

const dimensionValues = () => `[${ROLLED_VISIT_DIMENSIONS.map((d) => `(${quote(d)}, toString(${STORED_VISIT_SQL(d)}))`).join(", ")}]`;
const quote = (text: string) => `'${text}'`;
const IN_DAY = `site_id = {site:String} AND hour >= toDateTime({day:Date}) AND hour < toDateTime({day:Date} + 1)`;

/** One row per visit of the day: its visit-level sums and its (dimension, value) pairs, the totals' first. */
const DAY_VISITS = () => `
SELECT
  groupArrayArray(visitor_ids) AS ids,
  min(started) AS first,
  max(ended) AS last,
  uniqExactArray(pageview_ids) AS pageviews,
  uniqExactArray(event_ids) AS events,
  uniqExactArray(interaction_ids) AS interactions,
  max(retention_days) AS retention,
  arrayConcat([(${quote(TOTALS)}, '')], ${dimensionValues()}) AS pairs
FROM sessions
WHERE ${IN_DAY}
GROUP BY session_id`;

const ROLL_VISITS = () => `
INSERT INTO day_visits (site_id, dimension, day, rolled_at, value, visitors, visits, pageviews, events, session_pageviews, bounces, duration_ms, retention_days)
SELECT {site:String}, pair.1, {day:Date}, {rolledAt:DateTime64(3)}, pair.2,
  uniqExactArray(ids), count(), sum(pageviews), sum(events), sum(pageviews), countIf(pageviews = 1 AND interactions = 0),
  sum(dateDiff('millisecond', first, last)), max(retention)
FROM (${DAY_VISITS()})
ARRAY JOIN pairs AS pair
GROUP BY pair`;

/** Pages: each event sits in one row per hour and path, and its id set is merged, so rows stored twice count once. */
const ROLL_PAGES = `
INSERT INTO day_visits (site_id, dimension, day, rolled_at, value, visitors, visits, pageviews, events, session_pageviews, bounces, duration_ms, retention_days)
SELECT {site:String}, '${PAGES_DIMENSION}', {day:Date}, {rolledAt:DateTime64(3)}, pathname,
  uniqExactArray(visitor_ids), 0, uniqExactArray(pageview_ids), uniqExactArray(event_ids), 0, 0, 0, max(retention_days)
FROM pages
WHERE ${IN_DAY}
GROUP BY pathname`;

/**
 * How far a visitor id or a visit reaches from a day: an id is salted for the UTC day a hit arrives, and a hit may
 * arrive up to 25 hours after its time (pixel.js keeps unsent hits; LIMITS.maxAgeMs), so one id's hits fall on up to
 * three days. A visit's hits follow each other by under 30 minutes, or share that id.
 */
export const REACH_DAYS = 2;
const NEAR_DAY = `site_id = {site:String} AND hour >= toDateTime({day:Date} - ${REACH_DAYS}) AND hour < toDateTime({day:Date} + ${REACH_DAYS + 1})`;
const CROSSING_SESSIONS = `(SELECT session_id FROM sessions WHERE ${NEAR_DAY}
  GROUP BY session_id HAVING countIf(toDate(hour) = {day:Date}) > 0 AND countIf(toDate(hour) != {day:Date}) > 0)`;
const CROSSING_IDS = `(SELECT id FROM sessions ARRAY JOIN visitor_ids AS id WHERE ${NEAR_DAY}
    GROUP BY id HAVING countIf(toDate(hour) = {day:Date}) > 0 AND countIf(toDate(hour) != {day:Date}) > 0
  UNION DISTINCT SELECT arrayJoin(visitor_ids) FROM sessions WHERE ${IN_DAY} AND session_id IN ${CROSSING_SESSIONS})`;

/** The day's visits that cross a midnight or hold a crossing id: readers correct the sums with them. */
const CANDIDATES = `(SELECT DISTINCT session_id FROM sessions
  WHERE ${IN_DAY} AND (session_id IN ${CROSSING_SESSIONS} OR arrayExists(id -> id IN ${CROSSING_IDS}, visitor_ids)))`;

/**
 * A visit's (time, value) for a dimension from its stored rows: the first event's, the last pageview's for the exit
 * page (as STORED_VISIT_SQL picks the value), or a constant for the totals.
 */
export function storedVisitPair(dimension: string): string {
  if (dimension === TOTALS) return "(toDateTime64(0, 3, 'UTC'), '')";
  const column = visitColumn(dimension as VisitDimension);
  const { time, value } = visitEnd(dimension);
  return `(${time}(tupleElement(${column}, 1)), ${value}(tupleElement(${column}, 2), tupleElement(${column}, 1)))`;
}

const ROLL_PIECES = () => `
INSERT INTO day_pieces (site_id, day, rolled_at, session_id, whole_ids, started, ended, pageviews, events, interactions, pairs, retention_days)
SELECT {site:String}, {day:Date}, {rolledAt:DateTime64(3)}, session_id, arrayFilter(id -> id IN ${CROSSING_IDS}, groupUniqArrayArray(visitor_ids)),
  min(started), max(ended), uniqExactArray(pageview_ids), uniqExactArray(event_ids), uniqExactArray(interaction_ids),
  map(${[TOTALS, ...ROLLED_VISIT_DIMENSIONS].map((d) => `${quote(d)}, ${storedVisitPair(d)}`).join(", ")}), max(retention_days)
FROM sessions
WHERE ${IN_DAY} AND session_id IN ${CANDIDATES}
GROUP BY session_id`;

const ROLL_CROSSERS = `
INSERT INTO day_crossers (site_id, day, rolled_at, kind, id, pathname, retention_days)
SELECT {site:String}, {day:Date}, {rolledAt:DateTime64(3)}, kind, id, pathname, (SELECT max(retention_days) FROM sessions WHERE ${IN_DAY})
FROM (
  SELECT 'session' AS kind, session_id AS id, '' AS pathname FROM ${CROSSING_SESSIONS}
  UNION ALL SELECT 'visitor', id, '' FROM ${CROSSING_IDS}
  UNION ALL SELECT 'candidate', session_id, '' FROM ${CANDIDATES}
  UNION ALL SELECT DISTINCT 'page', id, pathname FROM pages ARRAY JOIN visitor_ids AS id WHERE ${IN_DAY} AND id IN ${CROSSING_IDS}
)`;

const ROLLED = `
INSERT INTO day_rolls (site_id, day, rolled_at, raw, retention_days)
SELECT {site:String}, {day:Date}, {rolledAt:DateTime64(3)}, {raw:UInt8}, max(retention_days) FROM sessions WHERE ${IN_DAY}`;

/** Whether the day holds imported Umami events, whose visitor ids last longer than a day: adding such days up would count them twice. */
async function holdsLongIds(client: ClickHouseClient, site: string, day: string): Promise<boolean> {
  const [row] = await selectRows<{ n: number }>(
    client,
    `SELECT count() AS n FROM events WHERE site_id = {site:String} AND toDate(timestamp) = {day:Date} AND startsWith(event_id, {prefix:String})`,
    { site, day, prefix: UMAMI_EVENT_PREFIX },
  );
  return Number(row!.n) > 0;
}

/**
 * Rolls one site's day; the roll counts only once its marker is written, last. It is stamped `margin` before `now`,
 * so an insert in flight while it starts makes it stale (tests that insert first and then roll pass 0).
 */
export async function rollDay(client: ClickHouseClient, site: string, day: string, now = Date.now(), margin = ROLL_MARGIN_MS): Promise<void> {
  const rolledAt = clickHouseTime(now - margin);
  if (await holdsLongIds(client, site, day)) {
    await client.command({ query: ROLLED, query_params: { site, day, rolledAt, raw: 1 } });
    return;
  }
  const query_params = { site, day, rolledAt, raw: 0 };
  for (const query of [ROLL_CROSSERS, ROLL_PIECES(), ROLL_VISITS(), ROLL_PAGES, ROLLED]) await client.command({ query, query_params });
}

/** The days whose roll an insert into `hour` makes stale: each day a roll reads it for (REACH_DAYS either side). */
export const DAYS_READ_FROM_HOUR = `arrayJoin(arrayMap(i -> toDate(hour) + i - ${REACH_DAYS}, range(${2 * REACH_DAYS + 1})))`;

/** Site days with traffic, whose last day read (REACH_DAYS on) is over, without a roll since the last insert into an hour it reads; newest first (the days most ranges show). */
export async function dueDays(client: ClickHouseClient, now: number, limit = ROLLS_PER_RUN): Promise<{ site_id: string; day: string }[]> {
  return selectRows(
    client,
    `SELECT w.site_id AS site_id, toString(w.day) AS day
     FROM (
       SELECT site_id, ${DAYS_READ_FROM_HOUR} AS day, max(written) AS written, max(toDate(hour) = day) AS traffic
       FROM hour_writes GROUP BY site_id, day
     ) AS w
     LEFT JOIN (SELECT site_id, day, max(rolled_at) AS rolled_at FROM day_rolls GROUP BY site_id, day) AS r
       ON r.site_id = w.site_id AND r.day = w.day
     WHERE w.traffic AND toDateTime(w.day + ${REACH_DAYS + 1}) + ${ROLL_MARGIN_MS / 1000} <= toDateTime({now:DateTime64(3)})
       AND (r.rolled_at IS NULL OR r.rolled_at <= w.written)
     ORDER BY w.day DESC, w.site_id
     LIMIT {limit:UInt32}`,
    { now: clickHouseTime(now), limit },
    { join_use_nulls: 1 },
  );
}
