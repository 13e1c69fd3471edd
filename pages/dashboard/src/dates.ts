import type { DateRangeKey } from "./api/types";

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}/;

/** Today's calendar day ("2026-11-28") in a time zone; UTC when the zone is unknown. */
export function todayIn(timeZone: string, now = new Date()): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  } catch {
    format = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" });
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export interface DayBounds {
  from: string;
  to: string;
}

/** The days a range covers, ending today; null for "all" (its start depends on the data). */
export function rangeBounds(range: DateRangeKey, today: string): DayBounds | null {
  switch (range) {
    case "day":
      return { from: today, to: today };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "month":
      return { from: `${today.slice(0, 8)}01`, to: today };
    case "all":
      return null;
  }
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

export interface DayValue {
  day: string;
  value: number;
}

/** One entry per day from `from` to `to`, zero where the API returned no row. */
export function fillDays(values: DayValue[], bounds: DayBounds | null, today: string): DayValue[] {
  const byDay = new Map(values.map((entry) => [entry.day, entry.value]));
  const days = [...byDay.keys()].sort();
  const from = bounds?.from ?? days[0] ?? today;
  const last = days.at(-1);
  const to = bounds?.to ?? (last && last > today ? last : today);
  const filled: DayValue[] = [];
  for (let day = from; day <= to && filled.length < 3660; day = addDays(day, 1)) {
    filled.push({ day, value: byDay.get(day) ?? 0 });
  }
  return filled;
}
