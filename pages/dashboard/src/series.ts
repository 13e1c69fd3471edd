import type { Interval, QueryResponse, QueryRow } from "./api/types";
import { bucketKey } from "./dates";

export interface Series {
  keys: string[];
  current: (number | null)[];
  /** The comparison period, bucket by bucket, as the api paired it with the current one. */
  previous: (number | null)[] | null;
}

export interface SeriesInput {
  response: QueryResponse;
  /** The comparison period's rows, one per row of the answer (load.ts runCompared). */
  previousRows?: QueryRow[] | null;
  interval: Interval;
  /** Counts are zero where there is no row; rates and durations have no value there. */
  gap: 0 | null;
  /** Buckets after this one haven't happened yet and get no value. */
  nowKey?: string;
}

/**
 * The api's buckets (`meta.time_labels`, else its rows) with their values. A label can repeat (the hour clocks go
 * back through), and each repeat takes the next row of that label, as the api sorted them.
 */
export function shapeSeries(input: SeriesInput): Series {
  const { results, meta } = input.response;
  const labels = meta.time_labels?.length ? meta.time_labels : [...new Set(results.map((row) => String(row.dimensions[0] ?? "")))].sort();
  const rowsOf = new Map<string, number[]>();
  results.forEach((row, i) => {
    const key = bucketKey(String(row.dimensions[0] ?? ""), input.interval);
    rowsOf.set(key, [...(rowsOf.get(key) ?? []), i]);
  });
  const keys = labels.map((label) => bucketKey(label, input.interval));
  const matched = keys.map((key) => rowsOf.get(key)?.shift());
  const value = (rows: QueryRow[], index: number | undefined) => {
    const metric = index === undefined ? undefined : rows[index]?.metrics[0];
    return metric !== undefined && Number.isFinite(metric) ? metric : input.gap;
  };
  const previous = input.previousRows;
  return {
    keys,
    current: keys.map((key, i) => (input.nowKey !== undefined && key > input.nowKey ? null : value(results, matched[i]))),
    previous: previous ? matched.map((index) => value(previous, index)) : null,
  };
}
