import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { timeGrain } from "@pixel/lib/stats/dates";
import type { NormalizedQuery, QueryAnswer, ResultRow } from "@pixel/lib/stats/query";
import { bucketPosition, timeLabels } from "@pixel/lib/stats/time-labels";
import { isRevenueMetric, isTimeDimension } from "@pixel/lib/stats/vocabulary";
import { compileCombined, compileQuery, orderTerms } from "./compile";
import { type CompileContext, rollupShaped } from "./planner";
import { validRolls } from "./rollups/read";
import { revenueCurrency } from "./revenue";

type Row = Record<string, string | number>;

/** Runs a normalized query (and its comparison period, asked for at the same time) and shapes the answer. */
export async function runQuery(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<QueryAnswer> {
  const [rows, previous] = await Promise.all([select(client, query, context), previousPeriod(client, query, context)]);
  const results = rows.map((row) => resultRow(query, row));
  const meta = metaOf(query, context);
  if (query.include.total_rows) meta.total_rows = Number(rows[0]?.total_rows ?? 0);
  const time = query.dimensions.find(isTimeDimension);
  if (query.include.time_labels && time) meta.time_labels = timeLabels(time, query.date_range, context.timezone);
  compare(query, results, previous);
  return { results, meta, query };
}

interface PreviousPeriod {
  query: NormalizedQuery;
  results: ResultRow[];
}

/** With include.comparisons, the query's rows over its comparison period: a SELECT of its own, sent beside the current one's. */
async function previousPeriod(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<PreviousPeriod | null> {
  const comparisons = query.include.comparisons;
  if (!comparisons) return null;
  const previous = { ...query, date_range: comparisons.date_range, include: { total_rows: false, time_labels: false } };
  // Its own range has its own rolls.
  const own = { ...context, rolls: undefined };
  return { query: previous, results: (await select(client, previous, own)).map((row) => resultRow(previous, row)) };
}

/** Pairs the comparison period's rows, if any, with `results`. */
function compare(query: NormalizedQuery, results: ResultRow[], previous: PreviousPeriod | null): void {
  if (!previous) return;
  attachComparisons(results.map(pairingKey(query)), results, previous.results.map(pairingKey(previous.query)), previous.results);
}

/** Answers queries that share a combiningKey (all isCombinable) from one SELECT, each as runQuery would. */
export async function runCombined(client: ClickHouseClient, queries: NormalizedQuery[], context: CompileContext): Promise<QueryAnswer[]> {
  const combined = compileCombined(queries, context);
  const [rows, previous] = await Promise.all([
    selectRows<Row>(client, combined.sql, combined.params, STATS_SETTINGS),
    Promise.all(queries.map((query) => previousPeriod(client, query, context))),
  ]);
  return queries.map((query, i) => {
    const { limit, offset } = query.pagination;
    const results = sorted(query, combined.rowsOf(query, rows) as Row[]).slice(offset, offset + limit).map((row) => resultRow(query, row));
    compare(query, results, previous[i]!);
    return { results, meta: metaOf(query, context), query };
  });
}

/** Imported data is always merged in: a Plausible client that asks for it is told so. Revenue says its currency. */
function metaOf(query: NormalizedQuery, context: CompileContext): QueryAnswer["meta"] {
  const meta: QueryAnswer["meta"] = query.include.imports ? { imports_included: true } : {};
  if (query.metrics.some(isRevenueMetric)) meta.revenue_currency = context.revenueCurrency ?? revenueCurrency(query, context.goals);
  return meta;
}

/** In ClickHouse's order: numbers by value, strings by their bytes (code points), as compileQuery's ORDER BY. */
function sorted(query: NormalizedQuery, rows: Row[]): Row[] {
  const terms = orderTerms(query);
  const compare = (a: string | number, b: string | number) =>
    typeof a === "string" || typeof b === "string" ? compareCodePoints(String(a), String(b)) : a - b;
  const value = (row: Row, column: string) => (column.startsWith("m") ? Number(row[column]) : String(row[column]));
  return [...rows].sort((a, b) => {
    for (const { column, direction } of terms) {
      const order = compare(value(a, column), value(b, column));
      if (order !== 0) return direction === "asc" ? order : -order;
    }
    return 0;
  });
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

/**
 * A resent hit keeps its timestamp, so its duplicates share a monthly partition: FINAL need not merge across
 * partitions, which makes it markedly cheaper (docs/benchmarks.md). A set of visits (`session_id IN (…)`) cannot
 * narrow the sessions table's key ranges (ids are random within an hour), yet building the key's index from it cost
 * 0.8 s of a one-country filter's 1.0 s at 10M events: use_index_for_in_with_subqueries off, 0.17 s.
 */
export const STATS_SETTINGS = { do_not_merge_across_partitions_select_final: 1, use_index_for_in_with_subqueries: 0 } as const;

async function select(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<Row[]> {
  // Rows by goal can only exist for goals that exist: a site without goals needs no scan of its events.
  if (context.goals.length === 0 && query.dimensions.includes("event:goal")) return [];
  const rolls = context.rolls ?? (rollupShaped(query, context) ? await validRolls(client, query, context) : undefined);
  const compiled = compileQuery(query, { ...context, rolls });
  return selectRows<Row>(client, compiled.sql, compiled.params, STATS_SETTINGS);
}

function resultRow(query: NormalizedQuery, row: Row): ResultRow {
  return {
    dimensions: query.dimensions.map((_, i) => String(row[`d${i}`])),
    metrics: query.metrics.map((_, i) => Number(row[`m${i}`])),
  };
}

/**
 * Rows pair up by their dimensions, with a time bucket standing for its place in the range: the n-th day, week or
 * month, or the same wall-clock time on the n-th day (and the n-th repeat of it, for the hour the clocks go back).
 * An hour that one range lacks (clocks going forward) has no partner.
 */
function pairingKey(query: NormalizedQuery): (row: ResultRow) => string {
  const seen = new Map<string, number>();
  const time = query.dimensions.findIndex(isTimeDimension);
  return (row) => {
    const dimensions = [...row.dimensions];
    if (time >= 0) {
      const grain = timeGrain(query.dimensions[time] as Parameters<typeof timeGrain>[0], query.date_range);
      dimensions[time] = bucketPosition(dimensions[time]!, grain, query.date_range);
    }
    const key = JSON.stringify(dimensions);
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    return `${key}#${repeat}`;
  };
}

function attachComparisons(keys: string[], results: ResultRow[], comparedKeys: string[], compared: ResultRow[]) {
  const byKey = new Map(compared.map((row, i) => [comparedKeys[i]!, row]));
  results.forEach((row, i) => {
    const other = byKey.get(keys[i]!);
    const metrics = other?.metrics ?? row.metrics.map(() => 0);
    row.comparison = {
      dimensions: other?.dimensions ?? row.dimensions,
      metrics,
      change: row.metrics.map((value, m) => (metrics[m] ? ((value - metrics[m]!) / metrics[m]!) * 100 : null)),
    };
  });
}
