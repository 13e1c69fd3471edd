import * as v from "valibot";
import { QueryBody } from "./query";

/**
 * Two small reports beside the query language (docs/stats-api.md, "Property keys" and "Scroll depth"): the property
 * keys a site's events carry, for the properties card to choose from, and how far a page's visits scrolled.
 * They take a query's site, date range and filters, and read the visits those filters select.
 */

/** What both reports take from a query. */
export const ReportScope = v.pick(QueryBody, ["site_id", "date_range", "filters"]);

/** The most keys the property-keys report lists: more than any card's picker can show. */
export const MAX_PROPERTY_KEYS = 100;

export const PropertyKeysBody = ReportScope;

export interface PropertyKeysAnswer {
  /** Keys by visitors whose events carry them, most first, then by key. */
  keys: { key: string; visitors: number; events: number }[];
  date_range: [string, string];
}

/** Scroll depth is counted in buckets of this many percentage points: 0–10 %, …, 90–100 % (100 % falls in the last). */
export const SCROLL_BUCKET = 10;
export const SCROLL_BUCKETS = 100 / SCROLL_BUCKET;

export const ScrollDepthBody = v.strictObject({
  ...ReportScope.entries,
  page: v.pipe(v.string("page is a path"), v.startsWith("/", "page is a path starting with /"), v.maxLength(2048, "page is at most 2048 characters")),
});

export interface ScrollDepthAnswer {
  page: string;
  /** Visits that sent an engagement hit from the page: each counts once, at the deepest it scrolled there. */
  visits: number;
  /** Always SCROLL_BUCKETS of them, from 0–10 % up; percentage is of `visits`, with two decimals. */
  buckets: { from: number; to: number; visits: number; percentage: number }[];
  date_range: [string, string];
}
