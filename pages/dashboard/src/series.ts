import type { Interval, QueryResponse, QueryRow } from "./api/types";
import { bucketKey, bucketKeys, type DayBounds } from "./dates";

export interface Series {
  keys: string[];
  current: (number | null)[];
  /** The comparison period, bucket by bucket: its first bucket lines up with the current first. */
  previous: (number | null)[] | null;
}

/** The buckets of an answer: the API's labels, else every bucket of the known days, else the rows it returned. */
export function seriesKeys(response: QueryResponse, interval: Interval, bounds: DayBounds | null): string[] {
  const labels = response.meta.time_labels;
  if (Array.isArray(labels) && labels.length) return labels.map((label) => bucketKey(String(label), interval));
  if (bounds) return bucketKeys(bounds, interval);
  return [...new Set(response.results.map((row) => bucketKey(String(row.dimensions[0] ?? ""), interval)))].sort();
}

function valuesByKey(rows: QueryRow[], interval: Interval): Map<string, number> {
  return new Map(rows.map((row) => [bucketKey(String(row.dimensions[0] ?? ""), interval), Number(row.metrics[0])]));
}

export interface SeriesInput {
  keys: string[];
  rows: QueryRow[];
  previousKeys?: string[];
  previousRows?: QueryRow[] | null;
  interval: Interval;
  /** Counts are zero where there is no row; rates and durations have no value there. */
  gap: 0 | null;
  /** Buckets after this one haven't happened yet and get no value. */
  nowKey?: string;
}

export function shapeSeries(input: SeriesInput): Series {
  const current = valuesByKey(input.rows, input.interval);
  const fill = (map: Map<string, number>, key: string | undefined) => {
    if (key === undefined) return null;
    const value = map.get(key);
    return value !== undefined && Number.isFinite(value) ? value : input.gap;
  };
  const previousRows = input.previousRows;
  let previous: Series["previous"] = null;
  if (previousRows) {
    const map = valuesByKey(previousRows, input.interval);
    const keys = input.previousKeys ?? [...map.keys()].sort();
    previous = input.keys.map((_, i) => fill(map, keys[i]));
  }
  return {
    keys: input.keys,
    current: input.keys.map((key) => (input.nowKey !== undefined && key > input.nowKey ? null : fill(current, key))),
    previous,
  };
}
