import { EVENT_DIMENSIONS, METRICS, VISIT_DIMENSIONS } from "../../../../lib/stats/vocabulary";

export interface User {
  id: string;
  email: string;
  name: string;
  role: "admin" | "user";
}

export type SiteRole = "owner" | "admin" | "viewer";

export interface Site {
  id: string;
  domain: string;
  name: string;
  timezone: string;
  /** The caller's role on this site (global admins count as owners). */
  role: SiteRole;
}

/** Site admins and owners change settings, goals and reports; global admins may do everything. */
export function canAdminister(site: Site, user: User): boolean {
  return user.role === "admin" || site.role === "owner" || site.role === "admin";
}

export type Metric = (typeof METRICS)[number];

/** Everything a filter can name, besides `event:props:<key>`. */
export const FILTER_DIMENSIONS = [...EVENT_DIMENSIONS, ...VISIT_DIMENSIONS] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number] | `event:props:${string}`;
export type Interval = "minute" | "hour" | "day" | "week" | "month";
export type TimeDimension = "time" | `time:${Interval}`;
export type Dimension = FilterDimension | TimeDimension;

export const FILTER_OPERATORS = ["is", "is_not", "contains", "contains_not", "matches", "matches_not"] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type SimpleFilter = [FilterOperator, FilterDimension, string[]];
export type Filter = SimpleFilter | [FilterOperator, FilterDimension, string[], { case_sensitive: boolean }] | ["and" | "or", Filter[]] | ["not", Filter];

export const RANGE_KEYS = ["day", "24h", "7d", "28d", "30d", "month", "6mo", "12mo", "year", "all"] as const;
export type DateRangeKey = (typeof RANGE_KEYS)[number];
/** A preset, or inclusive local dates / local date-times in the site's time zone. */
export type DateRange = DateRangeKey | [from: string, to: string];

export type ComparisonMode = "previous_period" | "year_over_year";

export interface Query {
  site_id: string;
  metrics: Metric[];
  date_range: DateRange;
  dimensions?: Dimension[];
  filters?: Filter[];
  order_by?: [Metric | Dimension, "asc" | "desc"][];
  pagination?: { limit: number; offset: number };
  include?: {
    total_rows?: boolean;
    time_labels?: boolean;
    comparisons?: { mode: ComparisonMode | "custom"; date_range?: DateRange };
  };
}

export interface QueryRow {
  metrics: number[];
  dimensions: string[];
  comparison?: { dimensions: string[]; metrics: number[]; change: (number | null)[] };
}

export interface QueryResponse {
  results: QueryRow[];
  meta: { total_rows?: number; time_labels?: string[] } & Record<string, unknown>;
  query: Record<string, unknown>;
}
