import * as v from "valibot";
import { addDays, addMonths, wallClock } from "../../../../lib/time";

import {
  COMPARISON_MODES,
  DATE_RANGES,
  EVENT_DIMENSIONS,
  EVENT_METRICS,
  FILTER_OPERATORS,
  METRICS,
  PROPS_PREFIX,
  SESSION_METRICS,
  SHARE_METRICS,
  TIME_DIMENSIONS,
  VISIT_DIMENSIONS,
} from "../../../../lib/stats/vocabulary";
import { MAX_FILTER_DEPTH, MAX_FILTERS, rangeProblem, type TimeGrain } from "../../../../lib/stats/limits";

export type Metric = (typeof METRICS)[number];
export type SessionMetric = (typeof SESSION_METRICS)[number];
export type EventDimension = (typeof EVENT_DIMENSIONS)[number] | `event:props:${string}`;
export type VisitDimension = (typeof VISIT_DIMENSIONS)[number];
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];
export type Dimension = EventDimension | VisitDimension | TimeDimension;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type { TimeGrain };

/** Plausible's filter options: `case_sensitive` (default true) for every operator. */
export interface FilterOptions {
  case_sensitive?: boolean;
}

export type Filter =
  | [FilterOperator, EventDimension | VisitDimension, string[]]
  | [FilterOperator, EventDimension | VisitDimension, string[], FilterOptions]
  | ["and" | "or", Filter[]]
  | ["not", Filter]
  | ["has_done" | "has_not_done", Filter];

const MAX_PROP_KEY = 300;
const onCalendar = (text: string) => {
  const time = text.length === 10 ? "T00:00:00" : text.length === 16 ? ":00" : "";
  const parsed = new Date(`${text}${time}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(`${text}${time}`);
};
export const isoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d\d-\d\d$/, "dates are YYYY-MM-DD"), v.check(onCalendar, "not a date on the calendar"));
const isoDateTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/, "date-times are YYYY-MM-DDTHH:MM[:SS] in the site's timezone"),
  v.check(onCalendar, "not a time on the calendar"),
);
const dateRange = v.union(
  [v.picklist(DATE_RANGES), v.tuple([isoDate, isoDate]), v.tuple([isoDateTime, isoDateTime])],
  `date_range is one of ${DATE_RANGES.join(", ")}, [from date, to date] or [from date-time, to date-time]`,
);

export function isDimension(value: string): value is Dimension {
  if (value.startsWith(PROPS_PREFIX)) return value.length > PROPS_PREFIX.length && value.length <= PROPS_PREFIX.length + MAX_PROP_KEY;
  return ([...EVENT_DIMENSIONS, ...VISIT_DIMENSIONS, ...TIME_DIMENSIONS] as string[]).includes(value);
}

const dimension = v.pipe(
  v.string(),
  v.check(isDimension, (issue) => `unknown dimension ${JSON.stringify(issue.input)}: use event:page|hostname|name|goal|props:<key>, visit:*, time or time:<grain>`),
);

export const QueryBody = v.strictObject({
  site_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  metrics: v.pipe(v.array(v.picklist(METRICS, `metrics are ${METRICS.join(", ")}`)), v.minLength(1), v.maxLength(METRICS.length)),
  date_range: dateRange,
  dimensions: v.optional(v.pipe(v.array(v.pipe(v.string(), dimension)), v.maxLength(4)), []),
  filters: v.optional(v.pipe(v.array(v.unknown()), v.maxLength(20)), []),
  order_by: v.optional(v.pipe(v.array(v.tuple([v.string(), v.picklist(["asc", "desc"], "order is asc or desc")])), v.maxLength(8))),
  pagination: v.optional(
    v.strictObject({
      limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 10_000),
      offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)), 0),
    }),
    {},
  ),
  include: v.optional(
    v.strictObject({
      total_rows: v.optional(v.boolean(), false),
      time_labels: v.optional(v.boolean(), false),
      comparisons: v.optional(
        v.strictObject({ mode: v.picklist(COMPARISON_MODES, `comparisons.mode is ${COMPARISON_MODES.join(", ")}`), date_range: v.optional(dateRange) }),
      ),
    }),
    {},
  ),
});

export type QueryInput = v.InferInput<typeof QueryBody>;
export type ParsedQuery = v.InferOutput<typeof QueryBody>;

/** A local wall-clock instant in the site's timezone, `YYYY-MM-DD HH:MM:SS`. */
export type LocalTime = string;

/** A query with every default filled in and its date range resolved: what actually runs, echoed back. */
export interface NormalizedQuery {
  site_id: string;
  metrics: Metric[];
  /** Inclusive local dates, or local date-times with an exclusive end. */
  date_range: [string, string];
  dimensions: Dimension[];
  filters: Filter[];
  order_by: [string, "asc" | "desc"][];
  pagination: { limit: number; offset: number };
  include: { total_rows: boolean; time_labels: boolean; comparisons?: { mode: (typeof COMPARISON_MODES)[number]; date_range: [string, string] } };
}

export class QueryError extends Error {}

export interface QueriedSite {
  timezone: string;
  /** "all" starts on the day the site was added, or on its first imported day: no hit can be older. */
  createdAt: Date;
  dataSince?: Date | null;
}

export const isSessionMetric = (metric: Metric): metric is SessionMetric => (SESSION_METRICS as readonly string[]).includes(metric);
export const isTimeDimension = (d: string): d is TimeDimension => d === "time" || d.startsWith("time:");
export const isVisitDimension = (d: string): d is VisitDimension => d.startsWith("visit:");
export const isEventDimension = (d: string): d is EventDimension => d.startsWith("event:");

export function normalizeQuery(input: ParsedQuery, site: QueriedSite, now = new Date()): NormalizedQuery {
  const dimensions = input.dimensions as Dimension[];
  const metrics = input.metrics;
  checkDimensions(dimensions, metrics);
  const counted = { filters: 0 };
  const filters = input.filters.map((filter, i) => parseFilter(filter, `filters[${i}]`, { insideBehaviour: false, depth: 1, counted }));
  filters.forEach((filter, i) => checkConjunct(filter, `filters[${i}]`));
  const order_by = input.order_by ?? defaultOrder(metrics, dimensions);
  for (const [i, [field]] of order_by.entries()) {
    if (!(metrics as string[]).includes(field) && !(dimensions as string[]).includes(field)) {
      throw new QueryError(`order_by[${i}]: ${JSON.stringify(field)} is neither a requested metric nor a dimension`);
    }
  }
  const date_range = resolveDateRange(input.date_range, site, now);
  checkSeriesLength(dimensions, date_range, "date_range");
  const comparisons = input.include.comparisons;
  const comparedRange = comparisons && comparisonRange(comparisons, date_range, site, now);
  if (comparedRange) checkSeriesLength(dimensions, comparedRange, "include.comparisons.date_range");
  return {
    site_id: input.site_id,
    metrics,
    date_range,
    dimensions,
    filters,
    order_by,
    pagination: input.pagination,
    include: {
      total_rows: input.include.total_rows,
      time_labels: input.include.time_labels,
      ...(comparisons && comparedRange && { comparisons: { mode: comparisons.mode, date_range: comparedRange } }),
    },
  };
}

function checkDimensions(dimensions: Dimension[], metrics: Metric[]) {
  if (new Set(dimensions).size !== dimensions.length) throw new QueryError("dimensions: a dimension is repeated");
  if (dimensions.filter(isTimeDimension).length > 1) throw new QueryError("dimensions: at most one time dimension");
  const eventDimension = dimensions.find(isEventDimension);
  const sessionMetric = metrics.find((metric) => isSessionMetric(metric) && metric !== "visits");
  if (eventDimension && sessionMetric) {
    throw new QueryError(`metrics: ${sessionMetric} describes whole visits and cannot be broken down by ${eventDimension}`);
  }
  for (const metric of ["scroll_depth", "time_on_page"] as const) {
    if (metrics.includes(metric) && !dimensions.includes("event:page")) throw new QueryError(`metrics: ${metric} needs the event:page dimension`);
  }
  if (metrics.includes("conversion_rate") && !dimensions.includes("event:goal")) {
    throw new QueryError("metrics: conversion_rate needs the event:goal dimension");
  }
}

/** A time series has a bucket per grain step of its range: each grain covers a bounded range (lib/stats/limits.ts). */
function checkSeriesLength(dimensions: Dimension[], range: [string, string], path: string) {
  const time = dimensions.find(isTimeDimension);
  if (!time) return;
  const [from, to] = localBounds(range).map((local) => Date.parse(`${local.replace(" ", "T")}Z`)) as [number, number];
  const problem = rangeProblem(timeGrain(time, range), (to - from) / 86_400_000);
  if (problem) throw new QueryError(`${path}: ${problem}`);
}

interface FilterScope {
  insideBehaviour: boolean;
  depth: number;
  /** Simple filters met so far in the whole query. */
  counted: { filters: number };
}

function parseFilter(raw: unknown, path: string, scope: FilterScope): Filter {
  const { insideBehaviour, depth, counted } = scope;
  if (depth > MAX_FILTER_DEPTH) throw new QueryError(`${path}: filters nest at most ${MAX_FILTER_DEPTH} deep`);
  const inner = (behaviour: boolean) => ({ insideBehaviour: behaviour, depth: depth + 1, counted });
  if (!Array.isArray(raw) || typeof raw[0] !== "string") throw new QueryError(`${path}: a filter is [operator, dimension, [values]] or [and|or, [filters]] or [not|has_done|has_not_done, filter]`);
  const [operator, ...rest] = raw as [string, ...unknown[]];
  if (operator === "and" || operator === "or") {
    if (rest.length !== 1 || !Array.isArray(rest[0]) || rest[0].length < 1 || rest[0].length > 20) {
      throw new QueryError(`${path}: ${operator} takes one list of 1 to 20 filters`);
    }
    return [operator, rest[0].map((child, i) => parseFilter(child, `${path}[1][${i}]`, inner(insideBehaviour)))];
  }
  if (operator === "not" || operator === "has_done" || operator === "has_not_done") {
    if (rest.length !== 1) throw new QueryError(`${path}: ${operator} takes one filter`);
    const behavioural = operator !== "not";
    if (behavioural && insideBehaviour) throw new QueryError(`${path}: ${operator} cannot be nested in has_done or has_not_done`);
    const child = parseFilter(rest[0], `${path}[1]`, inner(insideBehaviour || behavioural));
    if (behavioural && filterKinds(child).has("visit")) throw new QueryError(`${path}: ${operator} takes event:* filters only`);
    return [operator, child];
  }
  if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
    throw new QueryError(`${path}[0]: unknown filter operator ${JSON.stringify(operator)}; use ${FILTER_OPERATORS.join(", ")}, and, or, not, has_done, has_not_done`);
  }
  if (++counted.filters > MAX_FILTERS) throw new QueryError(`${path}: a query takes at most ${MAX_FILTERS} filters, counting those inside and/or/not/has_done`);
  const [dimension, values, options] = rest;
  if (typeof dimension !== "string" || !isDimension(dimension)) throw new QueryError(`${path}[1]: unknown dimension ${JSON.stringify(dimension)}`);
  if (isTimeDimension(dimension)) throw new QueryError(`${path}[1]: filter time with date_range, not ${dimension}`);
  if (rest.length < 2 || rest.length > 3 || !Array.isArray(values) || values.length < 1 || values.length > 100) {
    throw new QueryError(`${path}[2]: give 1 to 100 values`);
  }
  for (const [i, value] of values.entries()) {
    if (typeof value !== "string" || value.length > 2048) throw new QueryError(`${path}[2][${i}]: values are strings of at most 2048 characters`);
    if (operator.startsWith("matches")) checkRegex(value, `${path}[2][${i}]`);
  }
  const filter: Filter = [operator as FilterOperator, dimension, values as string[]];
  return rest.length === 3 ? [...filter, parseFilterOptions(options, `${path}[3]`)] : filter;
}

function parseFilterOptions(raw: unknown, path: string): FilterOptions {
  const parsed = v.safeParse(v.strictObject({ case_sensitive: v.optional(v.boolean()) }), raw);
  if (!parsed.success) throw new QueryError(`${path}: filter options are {"case_sensitive": true|false}`);
  return parsed.output.case_sensitive === undefined ? {} : { case_sensitive: parsed.output.case_sensitive };
}

/** Whether a simple filter compares case-sensitively: Plausible's default, unless its options say otherwise. */
export const caseSensitive = (filter: Filter): boolean => (filter[3] as FilterOptions | undefined)?.case_sensitive !== false;

function checkRegex(pattern: string, path: string) {
  try {
    new RegExp(pattern);
  } catch {
    throw new QueryError(`${path}: not a valid regular expression`);
  }
  if (/\(\?[=!<]|\\[1-9]/.test(pattern)) throw new QueryError(`${path}: re2 has no lookaround or backreferences`);
}

/** Which kinds of dimension a filter reads: event rows or whole visits. */
export function filterKinds(filter: Filter): Set<"event" | "visit"> {
  const [operator, second] = filter;
  if (operator === "and" || operator === "or") return new Set((second as Filter[]).flatMap((child) => [...filterKinds(child)]));
  if (operator === "not") return filterKinds(second as Filter);
  if (operator === "has_done" || operator === "has_not_done") return new Set(["event"]);
  return new Set([isVisitDimension(second as string) ? "visit" : "event"]);
}

function checkConjunct(filter: Filter, path: string) {
  if (filterKinds(filter).size > 1) {
    throw new QueryError(`${path}: combine event:* and visit:* filters at the top level (all filters must hold), not inside and/or/not`);
  }
}

function defaultOrder(metrics: Metric[], dimensions: Dimension[]): [string, "asc" | "desc"][] {
  const time = dimensions.find(isTimeDimension);
  if (time) return [[time, "asc"]];
  return dimensions.length ? [[metrics[0]!, "desc"]] : [];
}

export function resolveDateRange(range: ParsedQuery["date_range"], site: QueriedSite, now: Date): [string, string] {
  if (Array.isArray(range)) {
    if (range[0] > range[1]) throw new QueryError("date_range: the first date is after the second");
    return [range[0], range[1]];
  }
  const today = localDate(now, site.timezone);
  const monthStart = `${today.slice(0, 8)}01`;
  switch (range) {
    case "day":
      return [today, today];
    case "24h":
      return [localDateTime(new Date(now.getTime() - 86_400_000), site.timezone), localDateTime(now, site.timezone)];
    case "7d":
      return [addDays(today, -6), today];
    case "28d":
      return [addDays(today, -27), today];
    case "30d":
      return [addDays(today, -29), today];
    case "month":
      return [monthStart, today];
    case "6mo":
      return [addMonths(monthStart, -5), today];
    case "12mo":
      return [addMonths(monthStart, -11), today];
    case "year":
      return [`${today.slice(0, 4)}-01-01`, today];
    case "all":
      return [localDate(site.dataSince && site.dataSince < site.createdAt ? site.dataSince : site.createdAt, site.timezone), today];
  }
}

function comparisonRange(
  comparisons: NonNullable<ParsedQuery["include"]["comparisons"]>,
  [from, to]: [string, string],
  site: QueriedSite,
  now: Date,
): [string, string] {
  if (comparisons.mode === "custom") {
    if (!comparisons.date_range) throw new QueryError("include.comparisons.date_range: a custom comparison needs a date_range");
    return resolveDateRange(comparisons.date_range, site, now);
  }
  if (from.length !== 10) throw new QueryError("include.comparisons: compare date ranges of whole days");
  if (comparisons.mode === "year_over_year") return [addMonths(from, -12), addMonths(to, -12)];
  const days = daysBetween(from, to) + 1;
  return [addDays(from, -days), addDays(to, -days)];
}

/** Inclusive local date range → [from, to) as local wall-clock instants. */
export function localBounds([from, to]: [string, string]): [LocalTime, LocalTime] {
  if (from.length === 10) return [`${from} 00:00:00`, `${addDays(to, 1)} 00:00:00`];
  const seconds = (t: string) => (t.length === 16 ? `${t}:00` : t).replace("T", " ");
  return [seconds(from), seconds(to)];
}

/** The grain of the `time` dimension: hours for a day or less, days up to three months, months beyond. */
export function timeGrain(dimension: TimeDimension, range: [string, string]): TimeGrain {
  if (dimension !== "time") return dimension.slice(5) as TimeGrain;
  const [from, to] = localBounds(range);
  const days = daysBetween(from.slice(0, 10), to.slice(0, 10));
  return days <= 1 ? "hour" : days <= 92 ? "day" : "month";
}

/** The calendar date at `now` in `timezone`, as YYYY-MM-DD. */
export function localDate(now: Date, timezone: string): string {
  return localDateTime(now, timezone).slice(0, 10);
}

export const localDateTime = (now: Date, timezone: string): string => wallClock(now, timezone);

export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
