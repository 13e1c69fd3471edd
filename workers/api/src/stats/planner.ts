import { localBounds, type LocalTime, timeGrain } from "@pixel/lib/stats/dates";
import { type Filter, filterKinds, foldFilter } from "@pixel/lib/stats/filters";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import { isTimeDimension, isVisitDimension, type Metric } from "@pixel/lib/stats/vocabulary";
import { wallClock } from "@pixel/lib/time";
import { STORED_EVENT_METRIC_SQL } from "./catalog";
import { type DayRoll, rollsCover } from "./rollups/read";
import { PAGES_DIMENSION, ROLLED_VISIT_DIMENSIONS } from "./rollups/roll";
import type { GoalDefinition } from "./filter-sql";

/**
 * Which table answers a query: the events themselves, or the sessions and pages tables that sum them per UTC hour
 * (lib/clickhouse/migrations/0004_sessions.sql, 0005_pages.sql, 0014_page_visits.sql). Every answer is the same either way (truth.test.ts).
 */

export interface CompileContext {
  timezone: string;
  goals: GoalDefinition[];
  /** The currency of the query's revenue goals, when it asks for revenue metrics (revenue.ts). */
  revenueCurrency?: string;
  /** false: read events at query time even where the sessions or pages table could answer (to compare both paths). */
  sessionsTable?: boolean;
  /** false: never read the daily rollups (to compare both paths); they are read where they answer otherwise. */
  rollups?: boolean;
  /** The valid rolls of the query's own range (rollups/read.ts validRolls), looked up before compiling. */
  rolls?: DayRoll[];
}

/** Whether the sessions and pages tables cover the range exactly: its bounds fall on whole UTC hours. */
export function readsStoredTables(query: NormalizedQuery, context: CompileContext): boolean {
  const [from, to] = localBounds(query.date_range);
  return context.sessionsTable !== false && onUtcHour(from, context.timezone) && onUtcHour(to, context.timezone);
}

/** Whether a local wall-clock time in `timezone` is a whole UTC hour (false in zones like Asia/Kolkata). */
export function onUtcHour(local: LocalTime, timezone: string): boolean {
  if (!local.endsWith(":00:00")) return false;
  const guess = Date.parse(`${local.replace(" ", "T")}Z`);
  const offset = (at: number) => Date.parse(`${wallClock(at, timezone)}Z`) - at;
  try {
    return offset(guess) % 3_600_000 === 0 && offset(guess - offset(guess)) % 3_600_000 === 0;
  } catch {
    return false; // an unknown zone: ClickHouse refuses the query either way
  }
}

const VISIT_METRICS: ReadonlySet<Metric> = new Set(["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration"]);
const PAGE_METRICS: ReadonlySet<Metric> = new Set(["visitors", "pageviews", "events"]);

/** Whether the daily rollups answer the query: its shape fits them, and valid rolls cover enough of its range. */
export function readsRollups(query: NormalizedQuery, context: CompileContext): boolean {
  return context.rolls !== undefined && rollupShaped(query, context) && rollsCover(query, context.rolls);
}

/**
 * A query the rollups hold: no filters; totals, one rolled visit dimension, pages, or (where local days are UTC days)
 * a daily series; metrics that add up by day.
 */
export function rollupShaped(query: NormalizedQuery, context: CompileContext): boolean {
  if (context.rollups === false || query.filters.length || query.dimensions.length > 1) return false;
  if (!readsStoredTables(query, context)) return false;
  const [dimension] = query.dimensions;
  if (isRolledDailySeries(query, context)) return query.metrics.every((metric) => PAGE_METRICS.has(metric));
  const metrics = dimension === PAGES_DIMENSION ? PAGE_METRICS : VISIT_METRICS;
  const rolled = dimension === undefined || dimension === PAGES_DIMENSION || (ROLLED_VISIT_DIMENSIONS as readonly string[]).includes(dimension);
  return rolled && query.metrics.every((metric) => metrics.has(metric));
}

/**
 * A series by day in a timezone whose days are UTC days: each bucket is one rolled day's own visitors, pageviews and
 * events (visit metrics count a visit in the bucket it starts in, which a day's roll does not know).
 */
export function isRolledDailySeries(query: NormalizedQuery, context: CompileContext): boolean {
  const [dimension] = query.dimensions;
  return dimension !== undefined && isTimeDimension(dimension) && timeGrain(dimension, query.date_range) === "day" && UTC_ZONES.has(context.timezone);
}
const UTC_ZONES: ReadonlySet<string> = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT"]);


const COMBINABLE_METRICS: ReadonlySet<Metric> = new Set(["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration"]);

/**
 * Whether a query can share one pass over its visits with others of its site, range and filters (compileCombined):
 * totals or one visit breakdown, visit-level metrics, no row count. Its comparison period, if any, is a query of its own.
 * Totals that read their visitors from the stored rows (storedTotalVisitors) cost less CPU apart: in the shared pass
 * every visit carries its ids and every metric is summed per grouping set (docs/stats-api.md, "Batches").
 */
export function isCombinable(query: NormalizedQuery, context: CompileContext): boolean {
  const stored = readsStoredTables(query, context);
  if (readsRollups(query, context)) return isRolledVisitQuery(query, context) && !query.include.total_rows;
  return (
    stored &&
    query.dimensions.length <= 1 &&
    query.dimensions.every(isVisitDimension) &&
    query.metrics.every((metric) => COMBINABLE_METRICS.has(metric)) &&
    !query.include.total_rows &&
    !storedTotalVisitors(query, stored, query.metrics)
  );
}

/** Totals or a visit breakdown that the rollups answer: such queries share one pass over the rolls' corrections. */
const isRolledVisitQuery = (query: NormalizedQuery, context: CompileContext) =>
  query.dimensions.every(isVisitDimension) && !isRolledDailySeries(query, context);

/** Queries that may share a pass share this key: the same site, range and filters, and both read rollups or neither. */
export const combiningKey = (query: NormalizedQuery, context: CompileContext) =>
  JSON.stringify([query.site_id, query.date_range, query.filters, readsRollups(query, context)]);

/**
 * Totals without filters: the range's visitors are the union of its rows' visitor ids, which needs no merging per
 * visit (merging each visit's id arrays measured as the costliest part of the totals).
 */
export function storedTotalVisitors(query: NormalizedQuery, stored: boolean, metrics: Metric[]): boolean {
  return stored && query.dimensions.length === 0 && query.filters.length === 0 && metrics.includes("visitors");
}

/**
 * A time series of event-level metrics with no other dimension sums the stored hours: the sessions table's when its
 * filters select visits only (the matching visits' rows), the page_visits table's when they name the page or select
 * visits (the page's rows, of the matching visits).
 */
export function storedTimeSeries(query: NormalizedQuery, stored: boolean, metrics: Metric[]): "sessions" | "page_visits" | undefined {
  const [dimension, ...others] = query.dimensions;
  const series =
    stored &&
    dimension !== undefined &&
    isTimeDimension(dimension) &&
    timeGrain(dimension, query.date_range) !== "minute" &&
    others.length === 0 &&
    metrics.every((metric) => STORED_EVENT_METRIC_SQL[metric]);
  if (!series) return undefined;
  if (query.filters.every(onVisitsOnly)) return "sessions";
  return query.filters.every(onPageOrVisits) ? "page_visits" : undefined;
}

/**
 * Top pages: a breakdown by event:page alone sums the pages table's hours without filters, and the page_visits
 * table's rows with filters on the page or on visits (those of the matching visits).
 */
export function storedPages(query: NormalizedQuery, stored: boolean, metrics: Metric[]): "pages" | "page_visits" | undefined {
  const pages =
    stored &&
    query.dimensions.length === 1 &&
    query.dimensions[0] === "event:page" &&
    query.filters.every(onPageOrVisits) &&
    metrics.every((metric) => STORED_EVENT_METRIC_SQL[metric]);
  if (!pages) return undefined;
  return query.filters.length ? "page_visits" : "pages";
}

/** Event filters that the page_visits table answers (sessionsSubquery): those naming the page alone. */
export const onPageOnly = (filter: Filter) =>
  foldFilter(filter, { compare: ({ dimension }) => dimension === "event:page", all: (children) => children.every(Boolean), not: (child) => child, behaviour: () => false });

const onVisitsOnly = (filter: Filter) => !filterKinds(filter).has("event");
const onPageOrVisits = (filter: Filter) => onVisitsOnly(filter) || onPageOnly(filter);
