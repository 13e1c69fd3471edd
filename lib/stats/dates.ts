import { addDays, addMonths, wallClock } from "../time";
import { QueryError } from "./error";
import type { TimeGrain } from "./limits";
import type { ComparisonMode, DateRange, DateRangeKey, LastDays, TimeDimension } from "./vocabulary";

/** Whether `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` names a real day and time. */
export function onCalendar(text: string): boolean {
  const time = text.length === 10 ? "T00:00:00" : text.length === 16 ? ":00" : "";
  const parsed = new Date(`${text}${time}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(`${text}${time}`);
}

/** A local wall-clock instant in the site's timezone, `YYYY-MM-DD HH:MM:SS`. */
export type LocalTime = string;

export interface QueriedSite {
  timezone: string;
  /** "all" starts on the day the site was added, or on its first imported day: no hit can be older. */
  createdAt: Date;
  dataSince?: Date | null;
}

/** The presets that are whole days ending today: all but "24h" and "all", and any `Nd`. */
export type DayPreset = Exclude<DateRangeKey, "24h" | "all"> | LastDays;

/** `YYYY-MM-DDTHH:MM:SS[.fff]` with `Z` or `±HH:MM`: an instant, as Plausible's ISO 8601 date-time ranges give them. */
export const OFFSET_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$/;

export function resolveDateRange(range: DateRange, site: QueriedSite, now: Date): [string, string] {
  if (Array.isArray(range)) {
    const [from, to] = OFFSET_DATE_TIME.test(range[0]) ? instantRange(range, site.timezone) : range;
    if (from > to) throw new QueryError("date_range: the first date is after the second");
    return [from, to];
  }
  const today = localDate(now, site.timezone);
  if (range === "24h") return [localDateTime(new Date(now.getTime() - 86_400_000), site.timezone), localDateTime(now, site.timezone)];
  if (range === "all") return [localDate(site.dataSince && site.dataSince < site.createdAt ? site.dataSince : site.createdAt, site.timezone), today];
  return presetDays(range, today);
}

/** The inclusive local dates of a preset of whole days, given today's date. */
export function presetDays(range: DayPreset, today: string): [string, string] {
  const monthStart = `${today.slice(0, 8)}01`;
  switch (range) {
    case "day":
      return [today, today];
    case "month":
      return [monthStart, today];
    case "6mo":
      return [addMonths(monthStart, -5), today];
    case "12mo":
      return [addMonths(monthStart, -11), today];
    case "year":
      return [`${today.slice(0, 4)}-01-01`, today];
    default:
      return [addDays(today, 1 - Number.parseInt(range, 10)), today];
  }
}

/** Two instants with offsets → the site's wall clock, end exclusive: Plausible includes the end's whole second. */
function instantRange([from, to]: [string, string], timezone: string): [string, string] {
  return [wallClock(Date.parse(from), timezone), wallClock(Math.floor(Date.parse(to) / 1000) * 1000 + 1000, timezone)];
}

export function comparisonRange(
  comparisons: { mode: ComparisonMode; date_range?: DateRange },
  range: [string, string],
  site: QueriedSite,
  now: Date,
): [string, string] {
  if (comparisons.mode === "custom") {
    if (!comparisons.date_range) throw new QueryError("include.comparisons.date_range: a custom comparison needs a date_range");
    return resolveDateRange(comparisons.date_range, site, now);
  }
  if (range[0].length !== 10) throw new QueryError("include.comparisons: compare date ranges of whole days");
  return shiftedDays(comparisons.mode, range);
}

/** The days a range of whole days is compared with: as many just before, or the same days a year earlier. */
export function shiftedDays(mode: Exclude<ComparisonMode, "custom">, [from, to]: [string, string]): [string, string] {
  if (mode === "year_over_year") return [addMonths(from, -12), addMonths(to, -12)];
  const days = daysBetween(from, to) + 1;
  return [addDays(from, -days), addDays(to, -days)];
}

/** Inclusive local date range → [from, to) as local wall-clock instants. */
export function localBounds([from, to]: [string, string]): [LocalTime, LocalTime] {
  if (from.length === 10) return [`${from} 00:00:00`, `${addDays(to, 1)} 00:00:00`];
  const seconds = (t: string) => (t.length === 16 ? `${t}:00` : t).replace("T", " ");
  return [seconds(from), seconds(to)];
}

/** The grain of the `time` dimension: hours for a day or less, days up to three months, months beyond. */
export function timeGrain(dimension: TimeDimension, range: [string, string]): TimeGrain {
  if (dimension !== "time") return dimension.slice(5) as TimeGrain;
  const [from, to] = localBounds(range);
  const days = daysBetween(from.slice(0, 10), to.slice(0, 10));
  return days <= 1 ? "hour" : days <= 92 ? "day" : "month";
}

/** The calendar date at `now` in `timezone`, as YYYY-MM-DD. */
export function localDate(now: Date, timezone: string): string {
  return localDateTime(now, timezone).slice(0, 10);
}

export const localDateTime = (now: Date, timezone: string): string => wallClock(now, timezone);

export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
