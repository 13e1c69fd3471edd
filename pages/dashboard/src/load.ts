import { ApiError } from "./api/client";
import type { ComparisonMode, DateRange, Metric, Query, QueryResponse, QueryRow } from "./api/types";
import { readTotals } from "./stats";

export type Run = (query: Query, signal?: AbortSignal) => Promise<QueryResponse>;

/** The API answers 400 to a metric, dimension or option it can't compute (yet). */
export const isUnsupported = (error: unknown): boolean => error instanceof ApiError && error.status === 400;

export class Unavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "Unavailable";
  }
}

export interface Compared {
  response: QueryResponse;
  /** The comparison period's rows; null when not comparing or the API couldn't answer for it. */
  previous: QueryRow[] | null;
}

/**
 * Runs a query with its comparison period: through `include.comparisons` when the API has them,
 * else as a second query over `previousRange`.
 */
export async function runCompared(
  run: Run,
  query: Query,
  compare: { mode: ComparisonMode; range: DateRange } | null,
  signal?: AbortSignal,
): Promise<Compared> {
  if (!compare) return { response: await run(query, signal), previous: null };
  try {
    const response = await run({ ...query, include: { ...query.include, comparisons: { mode: compare.mode } } }, signal);
    const paired = response.results.every((row) => row.comparison);
    if (paired) {
      const previous = response.results.map((row) => ({ dimensions: row.comparison!.dimensions, metrics: row.comparison!.metrics }));
      return { response, previous };
    }
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  }
  const [response, previous] = await Promise.all([
    run(query, signal),
    run({ ...query, date_range: compare.range }, signal).then(
      (answer) => answer.results,
      (error: unknown) => {
        if (isUnsupported(error)) return null;
        throw error;
      },
    ),
  ]);
  return { response, previous };
}

/** Tries queries in order, moving on when the API can't answer one yet; Unavailable when it can answer none. */
export async function runFirstSupported<T extends Query>(
  run: Run,
  queries: T[],
  signal?: AbortSignal,
): Promise<{ response: QueryResponse; query: T }> {
  let last: unknown;
  for (const query of queries) {
    try {
      return { response: await run(query, signal), query };
    } catch (error) {
      if (!isUnsupported(error)) throw error;
      last = error;
    }
  }
  throw new Unavailable(last instanceof Error ? last.message : "Not available yet.");
}

export interface Total {
  metric: Metric;
  /** null: the API can't compute this metric yet. */
  value: number | null;
  previous: number | null;
  /** Why the value is missing, from the API. */
  reason?: string;
}

/** Totals of several metrics at once; when the API refuses some of them, asks for each alone so the rest still show. */
export async function loadTotals(
  run: Run,
  query: Query,
  compare: { mode: ComparisonMode; range: DateRange } | null,
  signal?: AbortSignal,
): Promise<Total[]> {
  const read = ({ response, previous }: Compared, metrics: Metric[]): Total[] => {
    const values = readTotals(response, metrics.length);
    const before = previous ? readTotals({ ...response, results: previous }, metrics.length) : null;
    return metrics.map((metric, i) => ({ metric, value: values[i]!, previous: before ? before[i]! : null }));
  };
  try {
    return read(await runCompared(run, query, compare, signal), query.metrics);
  } catch (error) {
    if (!isUnsupported(error) || query.metrics.length === 1) throw error;
  }
  const each = await Promise.all(
    query.metrics.map((metric) =>
      runCompared(run, { ...query, metrics: [metric] }, compare, signal).then(
        (compared) => read(compared, [metric])[0]!,
        (error: unknown): Total => {
          if (!isUnsupported(error)) throw error;
          return { metric, value: null, previous: null, reason: error instanceof Error ? error.message : undefined };
        },
      ),
    ),
  );
  return each;
}
