const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, compact: boolean): Intl.NumberFormat {
  const key = `${locale ?? ""}|${compact}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      locale,
      compact ? { notation: "compact", maximumFractionDigits: 1 } : { maximumFractionDigits: 0 },
    );
    numberFormats.set(key, format);
  }
  return format;
}

/** 1,234 below ten thousand; 12.3K, 4.5M… from there on. */
export function formatNumber(value: number, locale?: string): string {
  return numberFormat(locale, Math.abs(value) >= 10_000).format(value);
}

/** The full number, when formatNumber shortened it (for a title attribute); otherwise undefined. */
export function fullNumber(value: number, locale?: string): string | undefined {
  return Math.abs(value) >= 10_000 ? numberFormat(locale, false).format(value) : undefined;
}

/** A calendar day ("2026-11-28") as "Nov 28", or "Sat, Nov 28, 2026" when long. */
export function formatDay(day: string, locale?: string, long = false): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(
    locale,
    long
      ? { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" }
      : { timeZone: "UTC", month: "short", day: "numeric" },
  ).format(date);
}

export function formatTime(date: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", second: "2-digit" }).format(date);
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
