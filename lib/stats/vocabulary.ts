/**
 * The words of the stats query language (Plausible Stats API v2 shape): the api validates against them and the
 * dashboard builds its queries from them. No imports, so the dashboard bundle takes only these lists.
 */
export const EVENT_METRICS = ["visitors", "pageviews", "events", "scroll_depth", "time_on_page"] as const;
export const SESSION_METRICS = ["visits", "views_per_visit", "bounce_rate", "visit_duration"] as const;
export const SHARE_METRICS = ["percentage", "conversion_rate"] as const;
export const METRICS = [...EVENT_METRICS, ...SESSION_METRICS, ...SHARE_METRICS] as const;

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
] as const;
export const TIME_DIMENSIONS = ["time", "time:minute", "time:hour", "time:day", "time:week", "time:month"] as const;
export const DATE_RANGES = ["day", "24h", "7d", "28d", "30d", "month", "6mo", "12mo", "year", "all"] as const;
export const FILTER_OPERATORS = ["is", "is_not", "contains", "contains_not", "matches", "matches_not"] as const;
export const COMPARISON_MODES = ["previous_period", "year_over_year", "custom"] as const;

