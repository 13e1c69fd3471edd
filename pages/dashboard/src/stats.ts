import type { DateRangeKey, Query, QueryResponse } from "./api/types";

export interface Totals {
  visitors: number;
  pageviews: number;
}

export interface PageStats {
  path: string;
  visitors: number;
  pageviews: number;
}

export const TOP_PAGES_LIMIT = 10;

export function totalsQuery(siteId: string, range: DateRangeKey): Query {
  return { site_id: siteId, metrics: ["visitors", "pageviews"], date_range: range };
}

export function dailyVisitorsQuery(siteId: string, range: DateRangeKey): Query {
  return { site_id: siteId, metrics: ["visitors"], date_range: range, dimensions: ["time:day"] };
}

export function topPagesQuery(siteId: string, range: DateRangeKey): Query {
  return {
    site_id: siteId,
    metrics: ["visitors", "pageviews"],
    date_range: range,
    dimensions: ["event:page"],
    order_by: [["visitors", "desc"]],
    pagination: { limit: TOP_PAGES_LIMIT, offset: 0 },
  };
}

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

export function readTotals(response: QueryResponse): Totals {
  const metrics = response.results[0]?.metrics ?? [];
  return { visitors: num(metrics[0]), pageviews: num(metrics[1]) };
}

export function readDailyVisitors(response: QueryResponse): { day: string; value: number }[] {
  return response.results
    .map((row) => ({ day: String(row.dimensions[0] ?? "").slice(0, 10), value: num(row.metrics[0]) }))
    .filter((entry) => entry.day !== "")
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

export function readTopPages(response: QueryResponse): PageStats[] {
  return response.results.map((row) => ({
    path: String(row.dimensions[0] ?? ""),
    visitors: num(row.metrics[0]),
    pageviews: num(row.metrics[1]),
  }));
}
