import { api } from "../api/client";
import type { ComparisonMode, DateRange, FilterDimension, Interval, Query } from "../api/types";
import { boundsFromQuery, comparisonBounds, defaultInterval, fittingTimeDimension, localDateTimeIn, rangeBounds, todayIn } from "../dates";
import { isUnsupported, runCompared } from "../load";
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

const isTime = (dimension: string) => dimension === "time" || dimension.startsWith("time:");

/** The comparison period a number widget shows its change against, when the range has whole days. */
function comparison(context: RunContext): { mode: ComparisonMode; range: DateRange } | null {
  const bounds = context.compare && rangeBounds(context.range, todayIn(context.timezone));
  if (!context.compare || !bounds || context.range === "24h") return null;
  const previous = comparisonBounds(bounds, context.compare);
  return { mode: context.compare, range: [previous.from, previous.to] };
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
  const time = dimensions.find(isTime);
  const compare = source.kind === "number" ? comparison(context) : null;
  const run = (attempt: Query) => runCompared(api.query, attempt, compare, signal);
  const { response, previous } = time
    ? await run({ ...query, include: { time_labels: true } }).catch((error: unknown) => (isUnsupported(error) ? run(query) : Promise.reject(error)))
    : await run(query);
  const bounds = boundsFromQuery(response.query) ?? rangeBounds(context.range, todayIn(context.timezone));
  const interval: Interval = time && time !== "time" ? (time.slice(5) as Interval) : defaultInterval(bounds);
  return shapeQueryResult({
    kind: source.kind,
    metrics: query.metrics,
    dimensions: dimensions.filter((d): d is FilterDimension => !isTime(d)),
    response,
    previous,
    interval,
    bounds,
    now: localDateTimeIn(context.timezone),
  });
}
