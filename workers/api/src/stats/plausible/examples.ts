/**
 * Plausible's documented Stats API v2 example requests, verbatim, with the status Pixel answers each with.
 * Source: github.com/plausible/docs, src/js/apiv2-examples/<name>-query.json (the examples of plausible.io/docs/stats-api).
 * A 400 here is a documented difference (docs/stats-api.md, "Coming from Plausible"), never a crash.
 */
export interface PlausibleExample {
  /** The example's file name in plausible/docs, src/js/apiv2-examples/. */
  name: string;
  body: Record<string, unknown>;
  status: 200 | 400;
  /** Why Pixel refuses it, for a 400: a part of the error message. */
  refusal?: string;
}

export const PLAUSIBLE_SITE = "dummy.site";

export const PLAUSIBLE_EXAMPLES: PlausibleExample[] = [
  { name: "aggregate-query.json", status: 200, body: { site_id: "dummy.site", metrics: ["visitors", "events"], date_range: "7d" } },
  {
    name: "behavioral-filters-query.json",
    status: 200,
    body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "all", filters: [["is", "event:goal", ["Signup"]], ["has_done", ["is", "event:page", ["/pricing"]]]] },
  },
  {
    name: "country-and-city-query.json",
    status: 200,
    body: {
      site_id: "dummy.site",
      metrics: ["visitors", "pageviews", "bounce_rate"],
      date_range: "7d",
      filters: [["is_not", "visit:country_name", [""]]],
      dimensions: ["visit:country_name", "visit:city_name"],
    },
  },
  { name: "custom-date-range-query.json", status: 200, body: { site_id: "dummy.site", metrics: ["visitors"], date_range: ["2024-08-01", "2024-08-15"] } },
  {
    name: "custom-properties-query.json",
    status: 200,
    body: {
      site_id: "dummy.site",
      metrics: ["visitors"],
      date_range: "7d",
      dimensions: ["time:day", "event:props:is_customer"],
      order_by: [["time:day", "asc"], ["event:props:is_customer", "desc"]],
    },
  },
  {
    name: "filtering-basics-query.json",
    status: 200,
    body: {
      site_id: "dummy.site",
      metrics: ["visitors"],
      date_range: "7d",
      filters: [["contains", "event:page", ["/docs", "/pricing"]], ["is", "visit:country_name", ["Estonia", "United States of America"]]],
    },
  },
  {
    name: "filtering-by-segment-query.json",
    status: 400,
    refusal: "no segment 2",
    body: { site_id: "dummy.site", metrics: ["visitors", "events"], filters: [["is", "segment", [2]]], date_range: "7d" },
  },
  {
    name: "filtering-case-insensitive-query.json",
    status: 200,
    body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "7d", filters: [["contains", "event:page", ["blog"], { case_sensitive: false }]] },
  },
  {
    name: "imports-bad-filter-query.json",
    status: 200,
    body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "all", dimensions: ["visit:source"], filters: [["is", "visit:country_name", ["Estonia"]]], include: { imports: true } },
  },
  { name: "imports-query.json", status: 200, body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "all", dimensions: ["visit:source"], include: { imports: true } } },
  {
    name: "pagination-query.json",
    status: 200,
    body: {
      site_id: "dummy.site",
      metrics: ["visitors", "events", "pageviews"],
      date_range: "7d",
      dimensions: ["visit:utm_medium", "visit:utm_source"],
      include: { total_rows: true },
      pagination: { limit: 3, offset: 1 },
    },
  },
  {
    name: "revenue-metrics-query.json",
    status: 400,
    refusal: "metrics",
    body: { site_id: "dummy.site", metrics: ["total_revenue"], date_range: "all", dimensions: ["event:goal"] },
  },
  { name: "time-labels-query.json", status: 200, body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "day", dimensions: ["time:hour"], include: { time_labels: true } } },
  {
    name: "timeseries-query.json",
    status: 200,
    body: { site_id: "dummy.site", metrics: ["visitors", "events"], date_range: "7d", filters: [["is", "visit:os", ["GNU/Linux", "Mac"]]], dimensions: ["time:day"] },
  },
  { name: "utm-query.json", status: 200, body: { site_id: "dummy.site", metrics: ["visitors", "events", "pageviews"], date_range: "7d", dimensions: ["visit:utm_medium", "visit:utm_source"] } },
];
