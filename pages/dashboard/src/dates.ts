import { addDays, addMonths, wallClock } from "@pixel/lib/time";
import { daysBetween, onCalendar, presetDays, timeGrain } from "@pixel/lib/stats/dates";
import type { DateRange, Interval } from "./api/types";
import { MAX_RANGE_DAYS } from "@pixel/lib/stats/limits";

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

export const isDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && onCalendar(value);

export { addDays, addMonths };

/** Shifts a local date-time ("2026-11-28T14:05:09") by minutes, ignoring DST like the API does. */
export function addMinutes(dateTime: string, minutes: number): string {
  return new Date(Date.parse(`${dateTime}Z`) + minutes * 60_000).toISOString().slice(0, 19);
}

export interface DayBounds {
  from: string;
  to: string;
}

export const dayCount = ({ from, to }: DayBounds): number => daysBetween(from, to) + 1;

/** The days a range covers; null when only the API knows ("all" starts when the site was added; "24h" is not whole days). */
export function rangeBounds(range: DateRange, today: string): DayBounds | null {
  if (range === "24h" || range === "all") return null;
  const [from, to] = Array.isArray(range) ? range.map((end) => end.slice(0, 10)) : presetDays(range, today);
  return { from: from!, to: to! };
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

/** The API's own choice for the `time` dimension. */
export function defaultInterval(bounds: DayBounds | null): Interval {
  return bounds ? timeGrain("time", [bounds.from, bounds.to]) : "month";
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
