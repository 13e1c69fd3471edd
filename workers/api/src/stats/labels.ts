import { addDays, addMonths } from "../../../../lib/time";
import { localBounds, type NormalizedQuery, type TimeDimension, type TimeGrain, timeGrain } from "./query";

/** Every bucket label of a time series over the query's range, as ClickHouse prints them. */
export function timeLabels(dimension: TimeDimension, range: NormalizedQuery["date_range"]): string[] {
  const grain = timeGrain(dimension, range);
  const [from, to] = localBounds(range);
  const labels: string[] = [];
  for (let label = firstLabel(from, grain); label < to; label = nextLabel(label, grain)) labels.push(label);
  return labels.map((label) => (grain === "minute" || grain === "hour" ? label : label.slice(0, 10)));
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

function nextLabel(label: string, grain: TimeGrain): string {
  if (grain === "minute" || grain === "hour") {
    const next = new Date(Date.parse(`${label.replace(" ", "T")}Z`) + (grain === "minute" ? 60_000 : 3_600_000));
    return next.toISOString().slice(0, 19).replace("T", " ");
  }
  const date = label.slice(0, 10);
  const next = grain === "day" ? addDays(date, 1) : grain === "week" ? addDays(date, 7) : addMonths(date, 1);
  return `${next} 00:00:00`;
}
