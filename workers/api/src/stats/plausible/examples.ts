/**
 * Plausible's documented Stats API v2 example requests, verbatim, with the status Pixel answers each with.
 * Source: github.com/plausible/docs, src/js/apiv2-examples/<name>-query.json (the examples of plausible.io/docs/stats-api).
 * A 400 here is a documented difference (docs/stats-api.md, "Coming from Plausible"), never a crash.
 */
export interface PlausibleExample {
  /** The example's file name in plausible/docs, src/js/apiv2-examples/, or what a refused query does wrong. */
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

/**
 * Queries Plausible's own tests refuse as invalid (plausible/analytics, test/plausible/stats/query_parser_test.exs and
 * query_validations_test.exs), each refused here too with a 400 naming the problem.
 */
export const PLAUSIBLE_REFUSALS: PlausibleExample[] = [
  { name: "a repeated metric", status: 400, refusal: "metrics: visitors is repeated", body: { site_id: "dummy.site", metrics: ["visitors", "visitors"], date_range: "all" } },
  {
    name: "an event metric with a visit-only dimension",
    status: 400,
    refusal: "metrics: pageviews counts events, which have no visit:exit_page",
    body: { site_id: "dummy.site", metrics: ["pageviews"], date_range: "all", dimensions: ["visit:exit_page"] },
  },
  {
    name: "a page metric with a visit-only dimension",
    status: 400,
    refusal: "metrics: scroll_depth counts events, which have no visit:exit_page",
    body: { site_id: "dummy.site", metrics: ["bounce_rate", "scroll_depth"], date_range: "all", dimensions: ["visit:exit_page"] },
  },
  {
    name: "a visit metric with an event dimension other than event:page",
    status: 400,
    refusal: "metrics: visit_duration describes whole visits and cannot be broken down by event:props:foo",
    body: { site_id: "dummy.site", metrics: ["visit_duration"], date_range: "all", dimensions: ["event:props:foo"] },
  },
  {
    name: "a goal filter inside or",
    status: 400,
    refusal: "filter event:goal at the top level only",
    body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "all", filters: [["or", [["is", "event:goal", ["Signup"]], ["is", "event:page", ["/"]]]]] },
  },
  { name: "time_labels without a time dimension", status: 400, refusal: "include.time_labels: needs a time dimension", body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "all", include: { time_labels: true } } },
  { name: "a goal that is not configured", status: 400, refusal: 'the goal "Purchase" is not configured', body: { site_id: "dummy.site", metrics: ["visitors"], date_range: "all", filters: [["is", "event:goal", ["Purchase"]]] } },
  { name: "conversion_rate without goals", status: 400, refusal: "conversion_rate needs the event:goal dimension or an event:goal filter", body: { site_id: "dummy.site", metrics: ["conversion_rate"], date_range: "all" } },
  { name: "group_conversion_rate without goals", status: 400, refusal: "group_conversion_rate needs the event:goal dimension or an event:goal filter", body: { site_id: "dummy.site", metrics: ["group_conversion_rate"], date_range: "all", dimensions: ["visit:source"] } },
  { name: "scroll_depth without a page", status: 400, refusal: "scroll_depth needs the event:page dimension or an event:page filter", body: { site_id: "dummy.site", metrics: ["scroll_depth"], date_range: "all", dimensions: ["visit:source"] } },
  {
    name: "scroll_depth with the page filter nested, not at the top level",
    status: 400,
    refusal: "scroll_depth needs the event:page dimension or an event:page filter",
    body: { site_id: "dummy.site", metrics: ["scroll_depth"], date_range: "all", filters: [["not", ["is", "event:page", ["/"]]]] },
  },
];
