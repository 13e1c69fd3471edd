import type { Interval, Metric } from "./api/types";

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

export function formatTime(date: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", second: "2-digit" }).format(date);
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** Seconds as "45s", "2m 05s", "1h 02m". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** A percentage given as 0–100: "42%", "4.5%", "0.3%". */
export function formatPercent(value: number, locale?: string): string {
  const digits = Math.abs(value) < 10 && value !== 0 && !Number.isInteger(value) ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)}%`;
}

export type MetricKind = "count" | "ratio" | "percent" | "duration" | "money";

const KINDS: Partial<Record<Metric, MetricKind>> = {
  views_per_visit: "ratio",
  bounce_rate: "percent",
  conversion_rate: "percent",
  group_conversion_rate: "percent",
  percentage: "percent",
  scroll_depth: "percent",
  visit_duration: "duration",
  time_on_page: "duration",
  total_revenue: "money",
  average_revenue: "money",
};

export const metricKind = (metric: Metric): MetricKind => KINDS[metric] ?? "count";

export const METRIC_LABELS: Record<Metric, string> = {
  visitors: "Visitors",
  visits: "Visits",
  pageviews: "Pageviews",
  views_per_visit: "Views per visit",
  bounce_rate: "Bounce rate",
  visit_duration: "Visit duration",
  events: "Events",
  scroll_depth: "Scroll depth",
  time_on_page: "Time on page",
  conversion_rate: "Conversion rate",
  group_conversion_rate: "Conversion rate in its group",
  total_revenue: "Revenue",
  average_revenue: "Average revenue",
  percentage: "Share",
};

/** `currency`: the ISO 4217 code revenue counts in; revenue without one (a goal that is no revenue goal) is "—". */
export function formatMetric(metric: Metric, value: number, locale?: string, currency?: string): string {
  switch (metricKind(metric)) {
    case "money":
      return currency ? formatMoney(value, currency, locale) : "—";
    case "ratio":
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
    case "percent":
      return formatPercent(value, locale);
    case "duration":
      return formatDuration(value);
    case "count":
      return formatNumber(value, locale);
  }
}

/** An amount in its currency with that currency's usual decimals: "€1,234.50", "¥1,235". */
export function formatMoney(value: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
}

/** The change from `previous` to `current` in percent, rounded; null when there is nothing to compare with. */
export function changePercent(current: number, previous: number): number | null {
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 100);
}

/** Whether a change is good news: fewer bounces are. */
export function isImprovement(metric: Metric, change: number): boolean {
  return metric === "bounce_rate" ? change < 0 : change > 0;
}

export function formatChange(change: number): string {
  return `${change > 0 ? "↑" : change < 0 ? "↓" : ""}${Math.abs(change)}%`;
}

/** A series bucket ("2026-11-28 13:00:00", "2026-11-28") as a short label for its interval. */
export function formatBucket(key: string, interval: Interval, locale?: string, long = false): string {
  const date = new Date(`${key.slice(0, 10)}T${key.length > 10 ? key.slice(11, 19) : "00:00:00"}Z`);
  if (Number.isNaN(date.getTime())) return key;
  const options: Intl.DateTimeFormatOptions =
    interval === "hour" || interval === "minute"
      ? long
        ? { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }
        : { hour: "numeric", minute: "2-digit" }
      : interval === "month"
        ? { month: "short", year: "numeric" }
        : long
          ? { weekday: "short", month: "short", day: "numeric", year: "numeric" }
          : { month: "short", day: "numeric" };
  const text = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(date);
  return interval === "week" && long ? `Week of ${text}` : text;
}
