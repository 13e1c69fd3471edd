import { addDays, addMonths, wallClock, zonedInstant } from "../time";
import { daysBetween, localBounds, timeGrain } from "./dates";
import type { TimeGrain } from "./limits";
import type { TimeDimension } from "./vocabulary";

const STEP_MS = { minute: 60_000, hour: 3_600_000 } as const;

/**
 * Every bucket label of a time series over the query's range, as ClickHouse prints them. Minutes and hours step
 * through real time, so the day clocks go forward has 23 hourly labels and the day they go back has 25, with the
 * repeated hour twice.
 */
export function timeLabels(dimension: TimeDimension, range: [string, string], timezone: string): string[] {
  const grain = timeGrain(dimension, range);
  const [from, to] = localBounds(range);
  if (grain === "minute" || grain === "hour") return clockLabels(grain, from, to, timezone);
  const labels: string[] = [];
  for (let label = firstLabel(from, grain); label < to; label = nextLabel(label, grain)) labels.push(label.slice(0, 10));
  return labels;
}

function clockLabels(grain: "minute" | "hour", from: string, to: string, timezone: string): string[] {
  const labels: string[] = [];
  const end = zonedInstant(to, timezone);
  for (let at = zonedInstant(firstLabel(from, grain), timezone); at < end; at += STEP_MS[grain]) {
    labels.push(wallClock(at, timezone).replace("T", " "));
  }
  return labels;
}

/** Where a bucket sits in its range: the day and wall-clock time (and which repeat of it) along minutes and hours, else the bucket's index. */
export function bucketPosition(label: string, grain: TimeGrain, range: [string, string]): string {
  const [from] = localBounds(range);
  const days = daysBetween(firstLabel(from, grain).slice(0, 10), label.slice(0, 10));
  if (grain === "minute" || grain === "hour") return `${days} ${label.slice(11)}`;
  if (grain === "day") return String(days);
  if (grain === "week") return String(days / 7);
  const month = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
  return String(month(label) - month(from));
}

function firstLabel(from: string, grain: TimeGrain): string {
  const date = from.slice(0, 10);
  switch (grain) {
    case "minute":
      return `${from.slice(0, 16)}:00`;
    case "hour":
      return `${from.slice(0, 13)}:00:00`;
    case "day":
      return `${date} 00:00:00`;
    case "week":
      return `${addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7))} 00:00:00`;
    case "month":
      return `${date.slice(0, 8)}01 00:00:00`;
  }
}

function nextLabel(label: string, grain: "day" | "week" | "month"): string {
  const date = label.slice(0, 10);
  const next = grain === "day" ? addDays(date, 1) : grain === "week" ? addDays(date, 7) : addMonths(date, 1);
  return `${next} 00:00:00`;
}
