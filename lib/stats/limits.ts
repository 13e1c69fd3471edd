/**
 * The limits of the stats query language (docs/stats-api.md, "Limits"): the api refuses a query past them with a
 * 400 naming the limit, and the dashboard never asks for one. No imports, so the dashboard bundle takes only these.
 */

export type TimeGrain = "minute" | "hour" | "day" | "week" | "month";

/**
 * The longest date range each time grain may cover, in days. It bounds every time series, and so `time_labels`:
 * no query gets more than MAX_TIME_LABELS buckets.
 */
export const MAX_RANGE_DAYS: Readonly<Record<TimeGrain, number>> = { minute: 2, hour: 92, day: 3660, week: 3660, month: 36600 };

/** The most buckets a time series (and its `time_labels`) can have under MAX_RANGE_DAYS: days over ten years. */
export const MAX_TIME_LABELS = 3660;

/** Simple filters in a query, counted inside and/or/not/has_done/has_not_done too. */
export const MAX_FILTERS = 50;

/** How deep filters nest: a top-level filter is 1, a filter inside `["not", …]` is 2. */
export const MAX_FILTER_DEPTH = 5;

/** Queries in one `POST /api/v2/queries`. */
export const MAX_BATCH = 20;

const COARSER: Readonly<Record<TimeGrain, TimeGrain | null>> = { minute: "hour", hour: "day", day: "week", week: "month", month: null };

/** Why a grain cannot cover `days`, or null when it can. */
export function rangeProblem(grain: TimeGrain, days: number): string | null {
  const max = MAX_RANGE_DAYS[grain];
  if (days <= max) return null;
  const span = max >= 365 ? `${max} days (about ${Math.round(max / 365.25)} years)` : `${max} days`;
  const coarser = COARSER[grain];
  return `time:${grain} covers at most ${span}; ask for ${coarser ? `time:${coarser} or ` : ""}a shorter range`;
}
