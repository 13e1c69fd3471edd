import type { FilterDimension, Interval, Metric, QueryResponse, QueryRow } from "../api/types";
import { tabForDimension } from "../breakdowns";
import { bucketKey } from "../dates";
import { changePercent, METRIC_LABELS, metricKind } from "../format";
import { displayValue } from "../labels";
import { type Series, shapeSeries } from "../series";
import { type BreakdownRow, readRows } from "../stats";
import type { WidgetKind } from "./api";

export interface Figure {
  label: string;
  value: number;
  metric: Metric | null;
  /** Percent against the comparison period; null without one. */
  change: number | null;
}

export interface Column {
  label: string;
  metric?: Metric;
  dimension?: FilterDimension;
}

export type WidgetData =
  | { kind: "number"; figures: Figure[] }
  | { kind: "line"; metric: Metric; interval: Interval; series: Series }
  | { kind: "bar" | "map"; dimension: FilterDimension; column: string; metrics: Metric[]; rows: BreakdownRow[] }
  | { kind: "table"; columns: Column[]; rows: (string | number)[][] };

/** "Page", "Country", "Entry page": the overview's column names, else the dimension's own words. */
export function dimensionLabel(dimension: string): string {
  const named = tabForDimension(dimension)?.column;
  if (named) return named;
  const words = dimension.replace(/^(event|visit):(props:)?/, "").replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : Number(value) || 0);

export interface QueryShapeInput {
  kind: WidgetKind;
  metrics: Metric[];
  dimensions: FilterDimension[];
  response: QueryResponse;
  previous: QueryRow[] | null;
  /** The line chart's grain, resolved ("time" means the API chose by the range). */
  interval: Interval;
  /** The current local time in the site's zone: later buckets get no value. */
  now: string;
}

/** A stats answer, as the widget's chart kind draws it. */
export function shapeQueryResult(input: QueryShapeInput): WidgetData {
  const { kind, metrics, dimensions, response } = input;
  if (kind === "number") {
    const row = response.results[0];
    const before = input.previous ? (input.previous[0] ?? { dimensions: [], metrics: [] }) : undefined;
    return {
      kind,
      figures: metrics.map((metric, i) => {
        const value = num(row?.metrics[i]);
        return { label: METRIC_LABELS[metric], metric, value, change: before ? changePercent(value, num(before.metrics[i])) : null };
      }),
    };
  }
  if (kind === "line") {
    const metric = metrics[0]!;
    const series = shapeSeries({
      response,
      previousRows: input.previous,
      interval: input.interval,
      gap: metricKind(metric) === "count" ? 0 : null,
      nowKey: bucketKey(input.now, input.interval),
    });
    return { kind, metric, interval: input.interval, series };
  }
  if (kind === "bar" || kind === "map") {
    const dimension = dimensions[0]!;
    return { kind, dimension, column: dimensionLabel(dimension), metrics, rows: readRows(response) };
  }
  const columns: Column[] = [
    ...dimensions.map((dimension) => ({ label: dimensionLabel(dimension), dimension })),
    ...metrics.map((metric) => ({ label: METRIC_LABELS[metric], metric })),
  ];
  const rows = response.results.map((row) => [
    ...dimensions.map((_, i) => String(row.dimensions[i] ?? "")),
    ...metrics.map((_, i) => num(row.metrics[i])),
  ]);
  return { kind: "table", columns, rows };
}

/** Rows of a SQL widget: a table of every column, or the first row's first number as a figure. */
export function shapeSqlRows(kind: WidgetKind, rows: Record<string, unknown>[]): WidgetData {
  const names = rows[0] ? Object.keys(rows[0]) : [];
  if (kind === "number") {
    const first = rows[0] ?? {};
    const name = names.find((key) => Number.isFinite(Number(first[key]))) ?? names[0];
    return { kind, figures: name === undefined ? [] : [{ label: name, value: num(first[name]), metric: null, change: null }] };
  }
  const cell = (value: unknown): string | number =>
    typeof value === "number" ? value : typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value);
  return { kind: "table", columns: names.map((label) => ({ label })), rows: rows.map((row) => names.map((name) => cell(row[name]))) };
}

/** A table cell as it reads on screen. */
export function cellText(column: Column, value: string | number, format: (metric: Metric, value: number) => string): string {
  if (column.metric) return format(column.metric, Number(value));
  if (column.dimension) return displayValue(column.dimension, String(value));
  return String(value);
}

/** Header and rows for CSV export: raw values, so a spreadsheet can compute with them. */
export function tableCsv(data: Extract<WidgetData, { kind: "table" }>): { header: string[]; rows: (string | number)[][] } {
  return { header: data.columns.map((column) => column.label), rows: data.rows };
}

/** A dimension's unambiguous name for pickers: "Entry page", "UTM source", "OS version". */
export function dimensionName(dimension: string): string {
  const words = dimension
    .replace(/^(event|visit):(props:)?/, "")
    .split("_")
    .map((word) => (word === "utm" || word === "os" ? word.toUpperCase() : word))
    .join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
