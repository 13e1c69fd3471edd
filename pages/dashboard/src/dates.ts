import { addDays, addMonths, wallClock } from "../../../lib/time";
import type { ComparisonMode, DateRange, Interval } from "./api/types";
import { MAX_RANGE_DAYS } from "../../../lib/stats/limits";

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}/;
const DAY_MS = 86_400_000;

/** The wall-clock time ("2026-11-28T14:05:09") in a time zone; UTC when the zone is unknown. */
export function localDateTimeIn(timeZone: string, now = new Date()): string {
  try {
    return wallClock(now, timeZone);
  } catch {
    return wallClock(now, "UTC");
  }
}

/** Today's calendar day ("2026-11-28") in a time zone; UTC when the zone is unknown. */
export function todayIn(timeZone: string, now = new Date()): string {
  return localDateTimeIn(timeZone, now).slice(0, 10);
}

export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export { addDays, addMonths };

/** Shifts a local date-time ("2026-11-28T14:05:09") by minutes, ignoring DST like the API does. */
export function addMinutes(dateTime: string, minutes: number): string {
  return new Date(Date.parse(`${dateTime}Z`) + minutes * 60_000).toISOString().slice(0, 19);
}

export interface DayBounds {
  from: string;
  to: string;
}

export const dayCount = ({ from, to }: DayBounds): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** The days a range covers; null when only the API knows ("all" starts when the site was added; "24h" is not whole days). */
export function rangeBounds(range: DateRange, today: string): DayBounds | null {
  if (Array.isArray(range)) return { from: range[0].slice(0, 10), to: range[1].slice(0, 10) };
  const monthStart = `${today.slice(0, 8)}01`;
  switch (range) {
    case "day":
      return { from: today, to: today };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "28d":
      return { from: addDays(today, -27), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "month":
      return { from: monthStart, to: today };
    case "6mo":
      return { from: addMonths(monthStart, -5), to: today };
    case "12mo":
      return { from: addMonths(monthStart, -11), to: today };
    case "year":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case "24h":
    case "all":
      return null;
  }
}

/** The period a range is compared with: the same number of days just before, or the same days a year earlier. */
export function comparisonBounds(bounds: DayBounds, mode: ComparisonMode): DayBounds {
  if (mode === "year_over_year") return { from: addMonths(bounds.from, -12), to: addMonths(bounds.to, -12) };
  const days = dayCount(bounds);
  return { from: addDays(bounds.from, -days), to: addDays(bounds.to, -days) };
}

/** The bounds the API resolved the range to, when its normalized query says so. */
export function boundsFromQuery(query: unknown): DayBounds | null {
  if (typeof query !== "object" || query === null || !("date_range" in query)) return null;
  const range = query.date_range;
  if (!Array.isArray(range) || range.length !== 2) return null;
  const [from, to] = range as unknown[];
  if (typeof from !== "string" || typeof to !== "string" || !DAY_PATTERN.test(from) || !DAY_PATTERN.test(to)) return null;
  return { from: from.slice(0, 10), to: to.slice(0, 10) };
}

export const INTERVALS: readonly Interval[] = ["hour", "day", "week", "month"];

/** The intervals that make a readable chart for a range: not one bar, not thousands, and none past the api's limits. */
export function intervalsFor(bounds: DayBounds | null): Interval[] {
  if (!bounds) return ["day", "week", "month"];
  const days = dayCount(bounds);
  const readable = (interval: Interval) =>
    (interval === "hour" && days <= 7) ||
    (interval === "day" && days >= 2) ||
    (interval === "week" && days >= 14) ||
    (interval === "month" && days >= 60);
  return INTERVALS.filter((interval) => readable(interval) && days <= MAX_RANGE_DAYS[interval]);
}

/** A time dimension the api answers over the range: a grain past its longest range gives way to `time`, the api's own choice. */
export function fittingTimeDimension<D extends string>(dimension: D, bounds: DayBounds | null): D | "time" {
  if (!dimension.startsWith("time:") || !bounds) return dimension;
  return dayCount(bounds) <= MAX_RANGE_DAYS[dimension.slice(5) as Interval] ? dimension : "time";
}

/** The API's own choice for the `time` dimension: hours for a day, days up to three months, months beyond. */
export function defaultInterval(bounds: DayBounds | null): Interval {
  if (!bounds) return "month";
  const days = dayCount(bounds);
  return days <= 1 ? "hour" : days <= 92 ? "day" : "month";
}

export function chooseInterval(requested: Interval | null, bounds: DayBounds): Interval {
  return requested && intervalsFor(bounds).includes(requested) ? requested : defaultInterval(bounds);
}

/** A time bucket as a stable key: "2026-11-28 13:00:00" for hours, "2026-11-28" for days and longer. */
export function bucketKey(label: string, interval: Interval): string {
  const text = label.replace("T", " ");
  if (interval === "minute") return `${text.slice(0, 16)}:00`;
  if (interval === "hour") return `${text.slice(0, 13)}:00:00`;
  return text.slice(0, 10);
}

/** Every bucket of a series over whole days, as bucketKey prints them (weeks start on Monday). */
export function bucketKeys(bounds: DayBounds, interval: Interval, max = 5000): string[] {
  const keys: string[] = [];
  if (interval === "minute" || interval === "hour") {
    const step = interval === "hour" ? 3_600_000 : 60_000;
    const end = Date.parse(`${addDays(bounds.to, 1)}T00:00:00Z`);
    for (let t = Date.parse(`${bounds.from}T00:00:00Z`); t < end && keys.length < max; t += step) {
      keys.push(bucketKey(new Date(t).toISOString(), interval));
    }
    return keys;
  }
  let day = bounds.from;
  if (interval === "week") day = addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  if (interval === "month") day = `${day.slice(0, 8)}01`;
  for (; day <= bounds.to && keys.length < max; day = interval === "day" ? addDays(day, 1) : interval === "week" ? addDays(day, 7) : addMonths(day, 1)) {
    keys.push(day);
  }
  return keys;
}
