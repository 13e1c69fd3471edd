import { localBounds } from "@pixel/lib/stats/dates";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import { VISIT_METRIC_FROM_SUMS, VISIT_SUMS, type VisitSum, visitEnd } from "../catalog";
import { Params } from "../params";
import { type CompileContext, isRolledDailySeries } from "../planner";
import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { DAYS_READ_FROM_HOUR, PAGES_DIMENSION, REACH_DAYS, storedVisitPair, TOTALS } from "./roll";

/**
 * Reading daily rollups (docs/schema.md, "Daily rollups"). A range's answer is the sum of its valid rolled UTC days,
 * corrected by what the sum counts wrongly, read raw:
 * - a visit that crosses an internal midnight is one visit in the range but a piece in each day: its pieces are taken
 *   out and the whole visit put in;
 * - a visitor id seen on two days, or in such a visit, is one visitor: its (day, id) pairs are taken out and its
 *   range-wide ones put in;
 * - the range's hours on days without a valid roll (the edges of a local-time range, today, a day written to since
 *   its roll) are read raw, as visits and ids that take the same correction.
 * The rolls find what crosses, within REACH_DAYS of their day (roll.ts).
 */

/**
 * A row of a breakdown exists where something was counted (the raw path's rows are groups of counted visits or events).
 * Only the sums the metrics read, and these, are summed: the top pages sum a million rolled rows at 10M events.
 */
const COUNTED: VisitSum[] = ["visitors", "visits", "pageviews"];
/** A rollup row's sums, each a column of its own. */
const SUM_COLUMNS = Object.fromEntries(VISIT_SUMS.map((sum) => [sum, sum])) as Record<VisitSum, string>;

/** A roll of a day, valid for the range when it was looked up: newer than the last insert into any hour it read. */
export interface DayRoll {
  day: string;
  rolled_at: string;
}

/** The range's whole UTC days with a valid roll, each with its latest roll. */
export async function validRolls(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<DayRoll[]> {
  const params = new Params();
  const { site, start, end } = rangeSql(query, context, params);
  const wholeDays = `site_id = ${site} AND toDateTime(day) >= ${start} AND toDateTime(day + 1) <= ${end}`;
  return selectRows<DayRoll>(
    client,
    `SELECT toString(r.day) AS day, toString(r.latest) AS rolled_at
     FROM (SELECT day, max(rolled_at) AS latest, argMax(raw, rolled_at) AS raw FROM day_rolls WHERE ${wholeDays} GROUP BY day) AS r
     INNER JOIN (
       SELECT ${DAYS_READ_FROM_HOUR} AS day, max(written) AS written FROM hour_writes
       WHERE site_id = ${site} AND hour >= ${start} - ${REACH_DAYS * 86_400} AND hour < ${end} + ${REACH_DAYS * 86_400} GROUP BY day
     ) AS w USING (day)
     WHERE r.latest > w.written AND NOT r.raw
     ORDER BY day`,
    params.values,
  );
}

/** Rollups answer a range only when valid rolls cover at least this share of it: the rest is read raw, and costs more so. */
const ROLLED_SHARE = 0.5;

export function rollsCover(query: NormalizedQuery, rolls: DayRoll[]): boolean {
  const [from, to] = localBounds(query.date_range);
  const hours = (Date.parse(`${to.replace(" ", "T")}Z`) - Date.parse(`${from.replace(" ", "T")}Z`)) / 3_600_000;
  return rolls.length > 0 && rolls.length * 24 >= hours * ROLLED_SHARE;
}

function rangeSql(query: NormalizedQuery, context: CompileContext, params: Params) {
  const [from, to] = localBounds(query.date_range);
  const tz = params.add(context.timezone, "String");
  return {
    site: params.add(query.site_id, "String"),
    // In UTC: the hours' days below are UTC days.
    start: `toTimeZone(toDateTime(${params.add(from, "String")}, ${tz}), 'UTC')`,
    end: `toTimeZone(toDateTime(${params.add(to, "String")}, ${tz}), 'UTC')`,
  };
}

/** The query's result rows (d0, m0, m1, … before ORDER BY and LIMIT) from the rolls and their raw corrections. */
export function rollupRows(query: NormalizedQuery, context: CompileContext, rolls: DayRoll[], params: Params): string {
  const rows = rolledRows([query], context, rolls, params);
  if (isRolledDailySeries(query, context)) return rows;
  const metrics = query.metrics.map((metric, i) => `${metric} AS m${i}`);
  return `SELECT ${[...(query.dimensions.length ? ["value AS d0"] : []), ...metrics].join(", ")} FROM (${rows})`;
}

/**
 * The rows of rolled queries that share a site and range: each query's dimension ('' for the totals) and value, with
 * every metric they ask for by name. Totals and visit breakdowns share one pass, which reads the corrections once; the
 * top pages and the daily series are queries of their own.
 */
export function rolledRows(queries: NormalizedQuery[], context: CompileContext, rolls: DayRoll[], params: Params): string {
  const [query] = queries as [NormalizedQuery];
  const { site, start, end } = rangeSql(query, context, params);
  const inRange = `site_id = ${site} AND hour >= ${start} AND hour < ${end}`;
  const days = params.add(rolls.map((roll) => roll.day), "Array(Date)");
  // IN, not has(): a set lookup per row, and the key skips stale rolls (the top pages' million rows: 130 -> 25 ms).
  const ofRolls = `site_id = ${site} AND day IN ${days} AND (day, rolled_at) IN arrayZip(${days}, ${params.add(rolls.map((roll) => roll.rolled_at), "Array(DateTime64(3, 'UTC'))")})`;
  const crossers = (kind: string, columns = "id") => `(SELECT ${columns} FROM day_crossers WHERE ${ofRolls} AND kind = '${kind}')`;
  const rawHours = `(SELECT h FROM (SELECT arrayJoin(arrayMap(i -> ${start} + toIntervalHour(i), range(toUInt32(dateDiff('hour', ${start}, ${end}))))) AS h) WHERE NOT has(${days}, toDate(h)))`;
  const ofDimensions = (list: string) => `FROM day_visits WHERE ${ofRolls} AND dimension IN ${list}`;
  if (isRolledDailySeries(query, context)) return dailySeries(query, ofDimensions(params.add([TOTALS], "Array(String)")), inRange, rawHours);
  const dimensions = [...new Set(queries.map((each) => each.dimensions[0] ?? TOTALS))];
  const dimensionsParam = params.add(dimensions, "Array(String)");
  const metrics = [...new Set(queries.flatMap((each) => each.metrics))];
  const sums = [...new Set([...metrics.flatMap((metric) => VISIT_METRIC_FROM_SUMS[metric]!.sums), ...COUNTED])];
  const rolled = `SELECT dimension, value, ${sums.map((sum) => `toInt64(${sum}) AS ${sum}`).join(", ")} ${ofDimensions(dimensionsParam)}`;
  const sets = { inRange, rawHours, wholeIds: crossers("visitor") };
  const corrections = dimensions.includes(PAGES_DIMENSION)
    ? pageCorrections(sets, crossers("page", "id, pathname, day"))
    : visitCorrections({ ...sets, ofRolls, crossingSessions: crossers("session"), dimensions, dimensionsParam, dimensionKeys: dimensions.map((d) => params.add(d, "String")) });
  const counted = COUNTED.map((sum) => `${sum} != 0`).join(" OR ");
  // One dimension groups by its value alone: a String key costs about half of (dimension, value) over the top pages' 2M rows.
  const [dimension, key] = dimensions.length === 1 ? [`${dimensionsParam}[1] AS dimension`, "value"] : ["dimension", "dimension, value"];
  return `SELECT dimension, value, ${metrics.map((metric) => `${VISIT_METRIC_FROM_SUMS[metric]!.sql(SUM_COLUMNS)} AS ${metric}`).join(", ")}
FROM (SELECT ${dimension}, value, ${sums.map((sum) => `sum(${sum}) AS ${sum}`).join(", ")} FROM (${rolled}\nUNION ALL\nSELECT dimension, value, ${sums.join(", ")} FROM (${corrections})) GROUP BY ${key})
WHERE dimension = '${TOTALS}' OR ${counted}`;
}

/** A daily series of event metrics: each rolled day's own totals, and the raw hours' days from the sessions table. */
function dailySeries(query: NormalizedQuery, rolledTotals: string, inRange: string, rawHours: string): string {
  const metrics = query.metrics.map((metric, i) => `${metric} AS m${i}`);
  const rolled = `SELECT day AS d0, toInt64(visitors) AS visitors, toInt64(pageviews) AS pageviews, toInt64(events) AS events ${rolledTotals}`;
  const raw = `SELECT toDate(hour) AS d0, toInt64(uniqExactArray(visitor_ids)) AS visitors, toInt64(uniqExactArray(pageview_ids)) AS pageviews,
      toInt64(uniqExactArray(event_ids)) AS events
    FROM sessions WHERE ${inRange} AND hour IN ${rawHours} GROUP BY d0`;
  return `SELECT d0, ${metrics.join(", ")} FROM (${rolled} UNION ALL ${raw})`;
}

interface Sets {
  inRange: string;
  /** The range's hours on days without a valid roll. */
  rawHours: string;
  /** Visitor ids that cross an internal midnight, or are in a visit that does. */
  wholeIds: string;
}

interface VisitSets extends Sets {
  /** The rows of the valid rolls: here, the rolled days' pieces of the visits to correct (day_pieces), those crossing a midnight or holding a whole id. */
  ofRolls: string;
  crossingSessions: string;
  dimensions: string[];
  /** The dimensions as a parameter. */
  dimensionsParam: string;
  /**
   * The dimensions as a parameter each, to pick their pairs from a stored piece: a map read at a constant key reads
   * that key, one read at each element of an array copies the whole map per element (the visit cards' pass at 10M events:
   * 570-630 ms CPU that way, about 350 this way).
   */
  dimensionKeys: string[];
}

/**
 * For visits, from the pieces (per visit and UTC day) of the visits that need correcting: crossing, raw, or holding a
 * whole id. The rolled days' pieces were stored by their rolls; the raw hours' are merged from the sessions table.
 * Each visit adds its whole range once (+1) and takes out its rolled days' pieces (-1), for every dimension. Visit sums
 * count for visits that are whole (crossing or raw); ids for the whole ids, and all ids of raw visits. A visit is put
 * together once, its value in each dimension from one aggregate over arrays (-ForEach).
 */
function visitCorrections({ inRange, rawHours, wholeIds, ofRolls, crossingSessions, dimensions, dimensionsParam, dimensionKeys }: VisitSets): string {
  const stored = `SELECT session_id, day, 1 AS rolled, whole_ids AS ids, whole_ids, dateDiff('millisecond', started, ended) AS duration,
      started AS first, ended AS last, pageviews AS pv, events AS ev, interactions AS inter, [${dimensionKeys.map((key) => `pairs[${key}]`).join(", ")}] AS dimension_pairs
    FROM day_pieces WHERE ${ofRolls}`;
  const raw = `SELECT session_id, toDate(hour) AS day, 0 AS rolled, groupArrayArray(visitor_ids) AS ids, arrayFilter(id -> id IN ${wholeIds}, ids) AS whole_ids,
      dateDiff('millisecond', min(started), max(ended)) AS duration, min(started) AS first, max(ended) AS last,
      uniqExactArray(pageview_ids) AS pv, uniqExactArray(event_ids) AS ev, uniqExactArray(interaction_ids) AS inter,
      [${dimensions.map(storedVisitPair).join(", ")}] AS dimension_pairs
    FROM sessions WHERE ${inRange} AND hour IN ${rawHours}
    GROUP BY session_id, day`;
  const visits = `SELECT session_id, min(rolled) = 0 AS raw, raw OR session_id IN ${crossingSessions} AS whole,
      arrayMap(id -> (toDate(0), id), arrayDistinct(arrayFlatten(if(raw, groupArray(ids), groupArray(whole_ids))))) AS visit_ids,
      ${visitValues(dimensions)} AS visit_values,
      (sum(pv), sum(ev), sum(inter), dateDiff('millisecond', min(first), max(last))) AS visit_sums,
      groupArrayIf((day, dimension_pairs, whole_ids, pv, ev, inter, duration), rolled = 1) AS pieces,
      arrayConcat(
        [(1, visit_values, visit_ids, visit_sums.1, visit_sums.2, visit_sums.3, visit_sums.4)],
        arrayMap(p -> (-1, arrayMap(pair -> pair.2, p.2), arrayMap(id -> (p.1, id), p.3), p.4, p.5, p.6, p.7), pieces)
      ) AS changes
    FROM (${stored} UNION ALL ${raw})
    GROUP BY session_id`;
  // A change holds its value in every dimension; the second ARRAY JOIN pairs them with the dimensions. (A lambda over
  // the dimensions that mapped the pieces in it copied them per dimension: 280 ms CPU here at 10M events, now 170.)
  return `SELECT dimension, value,
      toInt64(uniqExactArrayIf(change.3, change.1 = 1)) - toInt64(uniqExactArrayIf(change.3, change.1 = -1)) AS visitors,
      sumIf(change.1, whole) AS visits, sumIf(change.1 * change.4, whole) AS pageviews, sumIf(change.1 * change.5, whole) AS events,
      sumIf(change.1 * change.4, whole) AS session_pageviews, sumIf(change.1, whole AND change.4 = 1 AND change.6 = 0) AS bounces,
      sumIf(change.1 * change.7, whole) AS duration_ms
    FROM (${visits}) ARRAY JOIN changes AS change ARRAY JOIN ${dimensionsParam} AS dimension, change.2 AS value
    GROUP BY dimension, value`;
}

/**
 * A visit's value in each dimension, from its pieces' (time, value) pairs: the first pair's or the last's (visitEnd).
 * Equal aggregates are computed once, however many dimensions index them.
 */
function visitValues(dimensions: string[]): string {
  const values = (aggregate: string) => `${aggregate}ForEach(arrayMap(p -> p.2, dimension_pairs), arrayMap(p -> p.1, dimension_pairs))`;
  return `[${dimensions.map((dimension, i) => `${values(visitEnd(dimension).value)}[${i + 1}]`).join(", ")}]`;
}

/**
 * For pages: the whole ids' page visits as the rolled days stored them, added over the range and taken out per day,
 * and the rows of days without a valid roll added as they are.
 */
function pageCorrections({ inRange, rawHours }: Sets, storedPages: string): string {
  const raw = `SELECT pathname, toDate(0) AS day, 1 AS sign, visitor_ids AS ids, pageview_ids, event_ids FROM pages WHERE ${inRange} AND hour IN ${rawHours}`;
  const stored = `SELECT pathname, day, -1, [id], [], [] FROM (${storedPages})`;
  const range = `SELECT pathname, toDate(0), 1, [id], [], [] FROM (${storedPages})`;
  return `SELECT '${PAGES_DIMENSION}' AS dimension, pathname AS value,
      toInt64(uniqExactArrayIf(arrayMap(id -> (day, id), ids), sign = 1)) - toInt64(uniqExactArrayIf(arrayMap(id -> (day, id), ids), sign = -1)) AS visitors,
      0 AS visits, toInt64(uniqExactArray(pageview_ids)) AS pageviews, toInt64(uniqExactArray(event_ids)) AS events,
      0 AS session_pageviews, 0 AS bounces, 0 AS duration_ms
    FROM (${raw} UNION ALL ${stored} UNION ALL ${range})
    GROUP BY value`;
}
