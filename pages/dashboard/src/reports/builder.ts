import type { Dimension, Filter, FilterDimension, FilterOperator, Interval, Metric } from "../api/types";
import type { Widget, WidgetKind, WidgetQuery } from "./api";
import { isComparison } from "@pixel/lib/stats/filters";
import { isTimeDimension } from "@pixel/lib/stats/vocabulary";

export interface FilterDraft {
  operator: FilterOperator;
  dimension: FilterDimension;
  /** Comma-separated, as typed. */
  values: string;
}

/** What the widget builder's form holds. */
export interface BuilderState {
  title: string;
  kind: WidgetKind;
  width: number;
  metrics: Metric[];
  /** What bar lists, tables and maps break down by; tables take up to two. */
  dimensions: FilterDimension[];
  /** The grain of a line chart; "auto" lets the API pick it from the range. */
  interval: Interval | "auto";
  filters: FilterDraft[];
  /** Rows of a bar list, table or map. */
  limit: number;
}

export const MAX_TABLE_DIMENSIONS = 2;
export const MAX_LIMIT = 100;

export const newBuilderState = (): BuilderState => ({
  title: "",
  kind: "number",
  width: 2,
  metrics: ["visitors"],
  dimensions: [],
  interval: "auto",
  filters: [],
  limit: 10,
});

const isBreakdown = (kind: WidgetKind) => kind === "bar" || kind === "table" || kind === "map";

/** The state after switching chart kinds, with the dimensions the new kind needs. */
export function withKind(state: BuilderState, kind: WidgetKind): BuilderState {
  const dimensions =
    kind === "map"
      ? ["visit:country" as const]
      : kind === "bar"
        ? [state.dimensions.find((d) => d !== "visit:country") ?? state.dimensions[0] ?? "event:page"]
        : kind === "table"
          ? state.dimensions.length ? state.dimensions.slice(0, MAX_TABLE_DIMENSIONS) : ["event:page" as const]
          : [];
  const metrics = kind === "line" ? state.metrics.slice(0, 1) : state.metrics;
  return { ...state, kind, dimensions, metrics };
}

export const splitValues = (text: string): string[] =>
  text
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");

/** The stats query a widget saves, without site and date range (the report has those). */
export function composeQuery(state: BuilderState): WidgetQuery {
  const filters: Filter[] = state.filters
    .map((draft): Filter => [draft.operator, draft.dimension, splitValues(draft.values)])
    .filter((filter) => (filter[2] as string[]).length > 0);
  const query: WidgetQuery = { metrics: [...state.metrics] };
  if (filters.length) query.filters = filters;
  if (state.kind === "line") query.dimensions = [state.interval === "auto" ? "time" : `time:${state.interval}`];
  if (isBreakdown(state.kind) && state.dimensions.length) {
    const first = state.metrics[0];
    query.dimensions = [...state.dimensions];
    if (first) query.order_by = [[first, "desc"], ...state.dimensions.map((d): [Dimension, "asc"] => [d, "asc"])];
    query.pagination = { limit: state.limit, offset: 0 };
  }
  return query;
}

/** The builder's form for a saved query widget. */
export function stateFromWidget(widget: Widget): BuilderState {
  const query = widget.query ?? { metrics: [] };
  const dimensions = query.dimensions ?? [];
  const time = dimensions.find(isTimeDimension);
  const filters = (query.filters ?? []).flatMap((filter): FilterDraft[] =>
    isComparison(filter) ? [{ operator: filter[0], dimension: filter[1], values: filter[2].join(", ") }] : [],
  );
  return {
    title: widget.title,
    kind: widget.kind,
    width: widget.width,
    metrics: [...query.metrics],
    dimensions: dimensions.filter((d): d is FilterDimension => !isTimeDimension(d)),
    interval: time && time !== "time" ? (time.slice(5) as Interval) : "auto",
    filters,
    limit: rowLimit(query.pagination?.limit),
  };
}

/** The API saves a query without pagination as "up to 10,000 rows"; the builder offers a short list instead. */
const rowLimit = (limit: number | undefined) => (limit !== undefined && limit >= 1 && limit <= MAX_LIMIT ? limit : 10);

export interface Problem {
  field: "title" | "metrics" | "dimensions" | "filters" | "width" | "limit";
  message: string;
}

/** What stops the widget from being saved, in words for the person editing it. */
export function problems(state: BuilderState): Problem[] {
  const found: Problem[] = [];
  if (!state.title.trim()) found.push({ field: "title", message: "Give the widget a title." });
  if (state.title.trim().length > 200) found.push({ field: "title", message: "Keep the title under 200 characters." });
  if (!state.metrics.length) found.push({ field: "metrics", message: "Pick at least one metric." });
  if (state.kind === "line" && state.metrics.length > 1) {
    found.push({ field: "metrics", message: "A line chart draws one metric; keep just one." });
  }
  if (isBreakdown(state.kind) && !state.dimensions.length) found.push({ field: "dimensions", message: "Pick what to break down by." });
  if (state.kind === "table" && state.dimensions.length > MAX_TABLE_DIMENSIONS) {
    found.push({ field: "dimensions", message: `A table breaks down by at most ${MAX_TABLE_DIMENSIONS} dimensions.` });
  }
  if (new Set(state.dimensions).size !== state.dimensions.length) found.push({ field: "dimensions", message: "Pick each dimension once." });
  if (!Number.isInteger(state.width) || state.width < 1 || state.width > 6) found.push({ field: "width", message: "The width is 1 to 6 columns." });
  if (isBreakdown(state.kind) && (!Number.isInteger(state.limit) || state.limit < 1 || state.limit > MAX_LIMIT)) {
    found.push({ field: "limit", message: `Show 1 to ${MAX_LIMIT} rows.` });
  }
  state.filters.forEach((filter, i) => {
    const values = splitValues(filter.values);
    if (!values.length) found.push({ field: "filters", message: `Filter ${i + 1} needs at least one value.` });
    if (filter.operator.startsWith("matches")) {
      const bad = values.find((value) => !validPattern(value));
      if (bad !== undefined) found.push({ field: "filters", message: `Filter ${i + 1}: “${bad}” is not a valid pattern.` });
    }
  });
  return found;
}

function validPattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
