export interface User {
  id: string;
  email: string;
  name: string;
  role: "admin" | "user";
}

export interface Site {
  id: string;
  domain: string;
  name: string;
  timezone: string;
}

export type Metric = "visitors" | "pageviews";
export type Dimension = "event:page" | "time:day";
export type DateRangeKey = "day" | "7d" | "30d" | "month" | "all";
export type DateRange = DateRangeKey | [from: string, to: string];

export interface Query {
  site_id: string;
  metrics: Metric[];
  date_range: DateRange;
  dimensions?: Dimension[];
  filters?: unknown[];
  order_by?: [Metric | Dimension, "asc" | "desc"][];
  pagination?: { limit: number; offset: number };
}

export interface QueryRow {
  metrics: number[];
  dimensions: string[];
}

export interface QueryResponse {
  results: QueryRow[];
  meta: Record<string, unknown>;
  query: Record<string, unknown>;
}
