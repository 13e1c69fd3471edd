import { type ComparisonMode as QueryComparisonMode, EVENT_DIMENSIONS, VISIT_DIMENSIONS } from "@pixel/lib/stats/vocabulary";

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

/** A goal of a site; one with a currency (ISO 4217) is a revenue goal. */
export interface Goal {
  id: string;
  kind: "event" | "page";
  eventName: string | null;
  pagePath: string | null;
  displayName: string;
  currency: string | null;
}

/** Site admins and owners change settings, goals and reports; global admins may do everything. */
export function canAdminister(site: Site, user: User): boolean {
  return user.role === "admin" || site.role === "owner" || site.role === "admin";
}

/** The query language is lib/stats's: its words, its filters and its answers. */
export type { Filter, SimpleFilter } from "@pixel/lib/stats/filters";
export type { TimeGrain as Interval } from "@pixel/lib/stats/limits";
export type { Query, ResultRow as QueryRow, QueryAnswer as QueryResponse } from "@pixel/lib/stats/query";
export type { DateRange, DateRangeKey, Dimension, FilterDimension, FilterOperator, Metric, TimeDimension } from "@pixel/lib/stats/vocabulary";
/** The comparisons the dashboard offers: the api's modes but a custom one. */
export type ComparisonMode = Exclude<QueryComparisonMode, "custom">;
export { DATE_RANGES as RANGE_KEYS, FILTER_OPERATORS } from "@pixel/lib/stats/vocabulary";

/** Everything a filter can name, besides `event:props:<key>`. */
export const FILTER_DIMENSIONS = [...EVENT_DIMENSIONS, ...VISIT_DIMENSIONS] as const;
