import * as v from "valibot";

export const METRICS = ["visitors", "visits", "pageviews", "events"] as const;
export const DIMENSIONS = ["event:page", "event:hostname", "event:name", "time", "time:hour", "time:day"] as const;
export const DATE_RANGES = ["day", "7d", "28d", "30d", "month", "all"] as const;
export const FILTER_OPERATORS = ["is", "is_not", "contains", "contains_not"] as const;

export type Metric = (typeof METRICS)[number];
export type Dimension = (typeof DIMENSIONS)[number];
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const isoDate = v.pipe(v.string(), v.isoDate("dates are YYYY-MM-DD"));
const filterValues = v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.minLength(1), v.maxLength(100));

export const QueryBody = v.strictObject({
  site_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  metrics: v.pipe(v.array(v.picklist(METRICS, `metrics are ${METRICS.join(", ")}`)), v.minLength(1)),
  date_range: v.union([v.picklist(DATE_RANGES), v.tuple([isoDate, isoDate])], `date_range is one of ${DATE_RANGES.join(", ")} or [from, to]`),
  dimensions: v.optional(v.pipe(v.array(v.picklist(DIMENSIONS, `dimensions are ${DIMENSIONS.join(", ")}`)), v.maxLength(3)), []),
  filters: v.optional(
    v.pipe(v.array(v.tuple([v.picklist(FILTER_OPERATORS), v.picklist(DIMENSIONS), filterValues])), v.maxLength(20)),
    [],
  ),
  order_by: v.optional(v.array(v.tuple([v.string(), v.picklist(["asc", "desc"])]))),
  pagination: v.optional(
    v.strictObject({
      limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 10_000),
      offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
    }),
    {},
  ),
});

export type QueryInput = v.InferOutput<typeof QueryBody>;

/** A query with every default filled in and its date range resolved: what actually runs, echoed back. */
export interface NormalizedQuery {
  site_id: string;
  metrics: Metric[];
  date_range: [string, string];
  dimensions: Dimension[];
  filters: [FilterOperator, Dimension, string[]][];
  order_by: [string, "asc" | "desc"][];
  pagination: { limit: number; offset: number };
}

export class QueryError extends Error {}

export interface QueriedSite {
  timezone: string;
  /** "all" starts on the day the site was added: no hit can be older. */
  createdAt: Date;
}

export function normalizeQuery(input: QueryInput, site: QueriedSite, now = new Date()): NormalizedQuery {
  const dimensions = input.dimensions;
  const order_by = input.order_by ?? defaultOrder(input.metrics, dimensions);
  for (const [field] of order_by) {
    if (!(input.metrics as string[]).includes(field) && !(dimensions as string[]).includes(field)) {
      throw new QueryError(`order_by: ${field} is neither a requested metric nor a dimension`);
    }
  }
  for (const [, dimension] of input.filters) {
    if (dimension.startsWith("time")) throw new QueryError(`filters: filter time with date_range, not ${dimension}`);
  }
  return {
    site_id: input.site_id,
    metrics: input.metrics,
    date_range: resolveDateRange(input.date_range, site, now),
    dimensions,
    filters: input.filters,
    order_by,
    pagination: input.pagination,
  };
}

function defaultOrder(metrics: Metric[], dimensions: Dimension[]): [string, "asc" | "desc"][] {
  const time = dimensions.find((dimension) => dimension.startsWith("time"));
  if (time) return [[time, "asc"]];
  return dimensions.length ? [[metrics[0]!, "desc"]] : [];
}

export function resolveDateRange(range: QueryInput["date_range"], site: QueriedSite, now: Date): [string, string] {
  if (Array.isArray(range)) {
    if (range[0] > range[1]) throw new QueryError("date_range: the first date is after the second");
    return [range[0], range[1]];
  }
  const today = localDate(now, site.timezone);
  switch (range) {
    case "day":
      return [today, today];
    case "7d":
      return [addDays(today, -6), today];
    case "28d":
      return [addDays(today, -27), today];
    case "30d":
      return [addDays(today, -29), today];
    case "month":
      return [`${today.slice(0, 8)}01`, today];
    case "all":
      return [localDate(site.createdAt, site.timezone), today];
  }
}

/** The calendar date at `now` in `timezone`, as YYYY-MM-DD. */
export function localDate(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}
