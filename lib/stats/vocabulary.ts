/**
 * The words of the stats query language (Plausible Stats API v2 shape): the api validates against them and the
 * dashboard builds its queries from them. No imports, so the dashboard bundle takes only these lists and types.
 */
export const EVENT_METRICS = ["visitors", "pageviews", "events", "scroll_depth", "time_on_page", "total_revenue", "average_revenue"] as const;
export const SESSION_METRICS = ["visits", "views_per_visit", "bounce_rate", "visit_duration"] as const;
export const SHARE_METRICS = ["percentage", "conversion_rate", "group_conversion_rate"] as const;
export const METRICS = [...EVENT_METRICS, ...SESSION_METRICS, ...SHARE_METRICS] as const;
/** Metrics of what visitors did on a page: they need the page, as a dimension or a filter. */
export const PAGE_METRICS = ["scroll_depth", "time_on_page"] as const satisfies readonly (typeof EVENT_METRICS)[number][];

export const EVENT_DIMENSIONS = ["event:page", "event:hostname", "event:name", "event:goal"] as const;
export const PROPS_PREFIX = "event:props:";
export const VISIT_DIMENSIONS = [
  "visit:entry_page",
  "visit:exit_page",
  "visit:source",
  "visit:referrer",
  "visit:channel",
  "visit:utm_source",
  "visit:utm_medium",
  "visit:utm_campaign",
  "visit:utm_term",
  "visit:utm_content",
  "visit:country",
  "visit:region",
  "visit:city",
  "visit:device",
  "visit:browser",
  "visit:browser_version",
  "visit:os",
  "visit:os_version",
  "visit:screen",
  "visit:visitor_type",
  "visit:webview",
  "visit:linked_source",
  "visit:linked_channel",
] as const;
/**
 * Plausible's place names beside the codes: region and city are stored as names already, the country as its
 * ISO 3166-1 code and named in English (COUNTRY_NAMES). Read from the same stored values as visit:country/region/city.
 */
export const VISIT_NAME_DIMENSIONS = ["visit:country_name", "visit:region_name", "visit:city_name"] as const;
export const TIME_DIMENSIONS = ["time", "time:minute", "time:hour", "time:day", "time:week", "time:month"] as const;
export const DATE_RANGES = ["day", "24h", "7d", "28d", "30d", "month", "6mo", "12mo", "year", "all"] as const;
/** Any number of whole days ending today, as Plausible takes them: `10d`, `91d`. */
export const LAST_DAYS = /^[1-9]\d{0,4}d$/;
export const FILTER_OPERATORS = ["is", "is_not", "contains", "contains_not", "matches", "matches_not"] as const;
export const COMPARISON_MODES = ["previous_period", "year_over_year", "custom"] as const;

/** The longest property key `event:props:<key>` may name. */
export const MAX_PROP_KEY = 300;

export type Metric = (typeof METRICS)[number];
export type SessionMetric = (typeof SESSION_METRICS)[number];
export type EventDimension = (typeof EVENT_DIMENSIONS)[number] | `event:props:${string}`;
export type VisitDimension = (typeof VISIT_DIMENSIONS)[number] | VisitNameDimension;
export type VisitNameDimension = (typeof VISIT_NAME_DIMENSIONS)[number];
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];
export type Dimension = EventDimension | VisitDimension | TimeDimension;
/** What a filter can name: every dimension but time. */
export type FilterDimension = EventDimension | VisitDimension;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type DateRangeKey = (typeof DATE_RANGES)[number];
export type LastDays = `${number}d`;
/**
 * A preset, `Nd`, or inclusive local dates / local date-times in the site's time zone, or ISO 8601 date-times with
 * an offset (the end second included, as Plausible reads them).
 */
export type DateRange = DateRangeKey | LastDays | [from: string, to: string];
export type ComparisonMode = (typeof COMPARISON_MODES)[number];

export function isDimension(value: string): value is Dimension {
  if (value.startsWith(PROPS_PREFIX)) return value.length > PROPS_PREFIX.length && value.length <= PROPS_PREFIX.length + MAX_PROP_KEY;
  return ([...EVENT_DIMENSIONS, ...VISIT_DIMENSIONS, ...VISIT_NAME_DIMENSIONS, ...TIME_DIMENSIONS] as string[]).includes(value);
}
/** Metrics that count events: a visit-only dimension (entry or exit page) cannot break them down. */
export const isEventOnlyMetric = (metric: Metric) => ["pageviews", "events", ...PAGE_METRICS].includes(metric);
/** Dimensions only a whole visit has, not each of its events. */
export const isVisitOnlyDimension = (dimension: Dimension) => dimension === "visit:entry_page" || dimension === "visit:exit_page";
/** Revenue of revenue goals, in their currency: read from the events that carry it. */
export const REVENUE_METRICS: readonly Metric[] = ["total_revenue", "average_revenue"];
export const isRevenueMetric = (metric: Metric) => REVENUE_METRICS.includes(metric);
export const isPageMetric = (metric: Metric) => (PAGE_METRICS as readonly string[]).includes(metric);
export const isSessionMetric = (metric: Metric): metric is SessionMetric => (SESSION_METRICS as readonly string[]).includes(metric);
export const isTimeDimension = (d: string): d is TimeDimension => d === "time" || d.startsWith("time:");
export const isVisitDimension = (d: string): d is VisitDimension => d.startsWith("visit:");
/** The stored visit dimension a name dimension reads: visit:country_name reads visit:country. */
export const namedDimension = (d: VisitNameDimension) => d.replace(/_name$/, "") as (typeof VISIT_DIMENSIONS)[number];
export const isEventDimension = (d: string): d is EventDimension => d.startsWith("event:");
