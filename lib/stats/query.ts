import * as v from "valibot";
import { comparisonRange, localBounds, OFFSET_DATE_TIME, onCalendar, type QueriedSite, resolveDateRange, timeGrain } from "./dates";
import { QueryError } from "./error";
import { type Filter, isGoalFilter, isPageFilter, parseFilters } from "./filters";
import { rangeProblem } from "./limits";
import {
  COMPARISON_MODES,
  type ComparisonMode,
  DATE_RANGES,
  type Dimension,
  isDimension,
  isEventDimension,
  isEventOnlyMetric,
  isSessionMetric,
  isTimeDimension,
  isVisitOnlyDimension,
  LAST_DAYS,
  type LastDays,
  type Metric,
  METRICS,
  PAGE_METRICS,
} from "./vocabulary";

export const isoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d\d-\d\d$/, "dates are YYYY-MM-DD"), v.check(onCalendar, "not a date on the calendar"));
const isoDateTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/, "date-times are YYYY-MM-DDTHH:MM[:SS] in the site's timezone"),
  v.check(onCalendar, "not a time on the calendar"),
);
const offsetDateTime = v.pipe(
  v.string(),
  v.regex(OFFSET_DATE_TIME, "date-times with an offset are YYYY-MM-DDTHH:MM:SS±HH:MM"),
  v.check((text) => onCalendar(text.slice(0, 19)) && /(Z|[+-](0\d|1[0-4]):[0-5]\d)$/.test(text), "not a time on the calendar"),
);
const lastDays = v.custom<LastDays>((input) => typeof input === "string" && LAST_DAYS.test(input));
const dateRange = v.union(
  [v.picklist(DATE_RANGES), lastDays, v.tuple([isoDate, isoDate]), v.tuple([isoDateTime, isoDateTime]), v.tuple([offsetDateTime, offsetDateTime])],
  `date_range is one of ${DATE_RANGES.join(", ")}, Nd (1 to 99999 days), [from date, to date], [from date-time, to date-time] in the site's timezone, or ISO 8601 date-times with offsets`,
);

const dimension = v.custom<Dimension>(
  (input) => typeof input === "string" && isDimension(input),
  (issue) => `unknown dimension ${JSON.stringify(issue.input)}: use event:page|hostname|name|goal|props:<key>, visit:*, time or time:<grain>`,
);

export const QueryBody = v.strictObject({
  site_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  metrics: v.pipe(v.array(v.picklist(METRICS, `metrics are ${METRICS.join(", ")}`)), v.minLength(1), v.maxLength(METRICS.length)),
  date_range: dateRange,
  dimensions: v.optional(v.pipe(v.array(dimension), v.maxLength(4)), []),
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
      /** Plausible's switch for imported data: Pixel merges imports into the stored data, so they are always in. */
      imports: v.optional(v.boolean()),
      comparisons: v.optional(
        v.strictObject({ mode: v.picklist(COMPARISON_MODES, `comparisons.mode is ${COMPARISON_MODES.join(", ")}`), date_range: v.optional(dateRange) }),
      ),
    }),
    {},
  ),
});

export type QueryInput = v.InferInput<typeof QueryBody>;
/** A well-formed query as a client builds it: the schema takes filters as they come and parseFilters checks them. */
export type Query = Omit<QueryInput, "filters"> & { filters?: Filter[] };
export type ParsedQuery = v.InferOutput<typeof QueryBody>;

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
  include: { total_rows: boolean; time_labels: boolean; imports?: boolean; comparisons?: { mode: ComparisonMode; date_range: [string, string] } };
}

export function normalizeQuery(input: ParsedQuery, site: QueriedSite, now = new Date()): NormalizedQuery {
  const dimensions = input.dimensions;
  const metrics = input.metrics;
  const filters = parseFilters(input.filters);
  checkDimensions(dimensions, metrics, filters);
  const order_by = input.order_by ?? defaultOrder(metrics, dimensions);
  for (const [i, [field]] of order_by.entries()) {
    if (!(metrics as string[]).includes(field) && !(dimensions as string[]).includes(field)) {
      throw new QueryError(`order_by[${i}]: ${JSON.stringify(field)} is neither a requested metric nor a dimension`);
    }
  }
  if (input.include.time_labels && !dimensions.some(isTimeDimension)) throw new QueryError("include.time_labels: needs a time dimension");
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
      ...(input.include.imports !== undefined && { imports: input.include.imports }),
      ...(comparisons && comparedRange && { comparisons: { mode: comparisons.mode, date_range: comparedRange } }),
    },
  };
}

function checkDimensions(dimensions: Dimension[], metrics: Metric[], filters: Filter[]) {
  const repeated = metrics.find((metric, i) => metrics.indexOf(metric) !== i);
  if (repeated) throw new QueryError(`metrics: ${repeated} is repeated`);
  if (new Set(dimensions).size !== dimensions.length) throw new QueryError("dimensions: a dimension is repeated");
  if (dimensions.filter(isTimeDimension).length > 1) throw new QueryError("dimensions: at most one time dimension");
  // As in Plausible: beside event:page alone, a visit metric describes the visits that entered on the page.
  const eventDimensions = dimensions.filter(isEventDimension);
  const sessionMetric = metrics.find((metric) => isSessionMetric(metric) && metric !== "visits");
  if (sessionMetric && eventDimensions.length && !(eventDimensions.length === 1 && eventDimensions[0] === "event:page")) {
    throw new QueryError(`metrics: ${sessionMetric} describes whole visits and cannot be broken down by ${eventDimensions.find((d) => d !== "event:page")}`);
  }
  const eventMetric = metrics.find(isEventOnlyMetric);
  const visitOnly = dimensions.find(isVisitOnlyDimension);
  if (eventMetric && visitOnly) throw new QueryError(`metrics: ${eventMetric} counts events, which have no ${visitOnly}: only whole visits do`);
  for (const metric of PAGE_METRICS) {
    if (metrics.includes(metric) && !dimensions.includes("event:page") && !filters.some(isPageFilter)) {
      throw new QueryError(`metrics: ${metric} needs the event:page dimension or an event:page filter`);
    }
  }
  for (const metric of ["conversion_rate", "group_conversion_rate"] as const) {
    if (metrics.includes(metric) && !dimensions.includes("event:goal") && !filters.some(isGoalFilter)) {
      throw new QueryError(`metrics: ${metric} needs the event:goal dimension or an event:goal filter`);
    }
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

function defaultOrder(metrics: Metric[], dimensions: Dimension[]): [string, "asc" | "desc"][] {
  const time = dimensions.find(isTimeDimension);
  if (time) return [[time, "asc"]];
  return dimensions.length ? [[metrics[0]!, "desc"]] : [];
}


export interface ResultRow {
  dimensions: string[];
  metrics: number[];
  comparison?: { dimensions: string[]; metrics: number[]; change: (number | null)[] };
}

/** The answer to a query: its rows, what `include` asked for, and the query as it ran. */
export interface QueryAnswer {
  results: ResultRow[];
  /** `revenue_currency`: the ISO 4217 currency of the revenue metrics asked for (plain numbers here; see money.ts). */
  meta: { total_rows?: number; time_labels?: string[]; imports_included?: boolean; revenue_currency?: string };
  query: NormalizedQuery;
}
