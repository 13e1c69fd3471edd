import { api } from "../api/client";
import type { ComparisonMode, DateRange, FilterDimension, Query } from "../api/types";
import { timeGrain } from "@pixel/lib/stats/dates";
import { isTimeDimension } from "@pixel/lib/stats/vocabulary";
import { fittingTimeDimension, localDateTimeIn, rangeBounds, todayIn } from "../dates";
import { runCompared } from "../load";
import { reportsApi, type WidgetKind, type WidgetQuery } from "./api";
import { shapeQueryResult, shapeSqlRows, type WidgetData } from "./shape";

export interface RunContext {
  siteId: string;
  reportId: string;
  timezone: string;
  range: DateRange;
  compare: ComparisonMode | null;
}

export type WidgetSource = { kind: WidgetKind } & ({ query: WidgetQuery } | { sql: string; widgetId?: string });

/** The comparison period a number widget shows its change against, when the range has whole days. */
function comparison(context: RunContext): { mode: ComparisonMode } | null {
  return context.compare && rangeBounds(context.range, todayIn(context.timezone)) ? { mode: context.compare } : null;
}

/** Runs a widget's query or SQL over the report's range and shapes the answer for its chart kind. */
export async function runWidget(source: WidgetSource, context: RunContext, signal?: AbortSignal): Promise<WidgetData> {
  if ("sql" in source) {
    const result = source.widgetId
      ? await reportsApi.widgetRows(context.siteId, context.reportId, source.widgetId, signal)
      : await reportsApi.runSql(context.siteId, context.reportId, source.sql, signal);
    return shapeSqlRows(source.kind, result.rows);
  }
  const asked = rangeBounds(context.range, todayIn(context.timezone));
  const dimensions = (source.query.dimensions ?? []).map((dimension) => fittingTimeDimension(dimension, asked));
  const query: Query = { ...source.query, ...(source.query.dimensions && { dimensions }), site_id: context.siteId, date_range: context.range };
  const time = dimensions.find(isTimeDimension);
  const compare = source.kind === "number" ? comparison(context) : null;
  const { response, previous } = await runCompared(api.query, time ? { ...query, include: { time_labels: true } } : query, compare, signal);
  return shapeQueryResult({
    kind: source.kind,
    metrics: query.metrics,
    dimensions: dimensions.filter((d): d is FilterDimension => !isTimeDimension(d)),
    response,
    previous,
    interval: timeGrain(time ?? "time", response.query.date_range),
    now: localDateTimeIn(context.timezone),
  });
}
