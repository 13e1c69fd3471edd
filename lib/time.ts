/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD`) and wall clocks, shared by the api, the dashboard and the
 * generated traffic, so all three agree on what a site's day is.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time at `at` in `timeZone`, as `YYYY-MM-DDTHH:MM:SS`; throws a RangeError for an unknown zone. */
export function wallClock(at: Date | number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day of month `months` later, clamped to that month's last day. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The UTC instant (ms) of a local wall-clock time `YYYY-MM-DD[ T]HH:MM:SS` in `timeZone`. A time the clocks skip
 * (spring forward) moves on by the gap; a repeated one (fall back) is its first occurrence.
 */
export function zonedInstant(local: string, timeZone: string): number {
  const asUtc = Date.parse(`${local.replace(" ", "T")}Z`);
  const offsetAt = (at: number) => Date.parse(`${wallClock(at, timeZone)}Z`) - at;
  const before = offsetAt(asUtc - 86_400_000);
  const after = offsetAt(asUtc + 86_400_000);
  const candidates = [asUtc - before, asUtc - after].filter((at) => Date.parse(`${wallClock(at, timeZone)}Z`) === asUtc);
  return candidates.length ? Math.min(...candidates) : asUtc - before;
}

/** The local calendar day at `at` in `timeZone`, as days since 1970-01-01 (ClickHouse's `Date`). */
export function localDayNumber(at: Date | number, timeZone: string): number {
  return Date.parse(`${wallClock(at, timeZone).slice(0, 10)}T00:00:00Z`) / 86_400_000;
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export const dayOfNumber = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
