import type { ComparisonMode, Metric, Query, QueryResponse, QueryRow } from "./api/types";
import { readTotals } from "./stats";

export type Run = (query: Query, signal?: AbortSignal) => Promise<QueryResponse>;

export interface Compared {
  response: QueryResponse;
  /** The comparison period's rows, each paired with the answer's row at the same index; null when not comparing. */
  previous: QueryRow[] | null;
}

/** Runs a query with the api's comparison period (`include.comparisons`) when one is on. */
export async function runCompared(run: Run, query: Query, compare: { mode: ComparisonMode } | null, signal?: AbortSignal): Promise<Compared> {
  if (!compare) return { response: await run(query, signal), previous: null };
  const response = await run({ ...query, include: { ...query.include, comparisons: { mode: compare.mode } } }, signal);
  const previous = response.results.map((row) => ({
    dimensions: row.comparison?.dimensions ?? row.dimensions,
    metrics: row.comparison?.metrics ?? row.metrics.map(() => 0),
  }));
  return { response, previous };
}

export interface Total {
  metric: Metric;
  value: number;
  previous: number | null;
}

/** Totals of several metrics at once, with the comparison period's when one is on. */
export async function loadTotals(run: Run, query: Query, compare: { mode: ComparisonMode } | null, signal?: AbortSignal): Promise<Total[]> {
  const { response, previous } = await runCompared(run, query, compare, signal);
  const values = readTotals(response, query.metrics.length);
  const before = previous ? readTotals({ ...response, results: previous }, query.metrics.length) : null;
  return query.metrics.map((metric, i) => ({ metric, value: values[i]!, previous: before ? before[i]! : null }));
}
