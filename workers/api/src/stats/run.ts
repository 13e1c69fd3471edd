import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "../../../../lib/clickhouse/client";
import { type CompileContext, compileQuery } from "./compile";
import { timeLabels } from "./labels";
import { isTimeDimension, type NormalizedQuery } from "./query";

export interface ResultRow {
  dimensions: string[];
  metrics: number[];
  comparison?: { dimensions: string[]; metrics: number[]; change: (number | null)[] };
}

export interface QueryAnswer {
  results: ResultRow[];
  meta: { total_rows?: number; time_labels?: string[] };
  query: NormalizedQuery;
}

type Row = Record<string, string | number>;

/** Runs a normalized query (and its comparison period) and shapes the answer. */
export async function runQuery(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<QueryAnswer> {
  const rows = await select(client, query, context);
  const results = rows.map((row) => resultRow(query, row));
  const meta: QueryAnswer["meta"] = {};
  if (query.include.total_rows) meta.total_rows = Number(rows[0]?.total_rows ?? 0);
  const time = query.dimensions.find(isTimeDimension);
  if (query.include.time_labels && time) meta.time_labels = timeLabels(time, query.date_range);
  const comparisons = query.include.comparisons;
  if (comparisons) {
    const previous = { ...query, date_range: comparisons.date_range, include: { total_rows: false, time_labels: false } };
    const compared = (await select(client, previous, context)).map((row) => resultRow(previous, row));
    attachComparisons(results, compared, time !== undefined);
  }
  return { results, meta, query };
}

/**
 * A resent hit keeps its timestamp, so its duplicates share a monthly partition: FINAL need not merge across
 * partitions, which makes it markedly cheaper (docs/benchmarks.md).
 */
export const STATS_SETTINGS = { do_not_merge_across_partitions_select_final: 1 } as const;

async function select(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<Row[]> {
  const compiled = compileQuery(query, context);
  return selectRows<Row>(client, compiled.sql, compiled.params, STATS_SETTINGS);
}

function resultRow(query: NormalizedQuery, row: Row): ResultRow {
  return {
    dimensions: query.dimensions.map((_, i) => String(row[`d${i}`])),
    metrics: query.metrics.map((_, i) => Number(row[`m${i}`])),
  };
}

/** Rows pair up by their dimensions, or by position along a time series. */
function attachComparisons(results: ResultRow[], compared: ResultRow[], byPosition: boolean) {
  const key = (row: ResultRow) => JSON.stringify(row.dimensions);
  const byKey = new Map(compared.map((row) => [key(row), row]));
  results.forEach((row, i) => {
    const other = byPosition ? compared[i] : byKey.get(key(row));
    const metrics = other?.metrics ?? row.metrics.map(() => 0);
    row.comparison = {
      dimensions: other?.dimensions ?? row.dimensions,
      metrics,
      change: row.metrics.map((value, m) => (metrics[m] ? ((value - metrics[m]!) / metrics[m]!) * 100 : null)),
    };
  });
}
