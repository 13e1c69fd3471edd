import { request } from "../api/client";
import type { DateRange, Query } from "../api/types";

import type { WidgetKind } from "@pixel/lib/d1/widget-kinds";

export { WIDGET_KINDS, type WidgetKind } from "@pixel/lib/d1/widget-kinds";

/** A saved stats query: the report supplies site_id and date_range. */
export type WidgetQuery = Omit<Query, "site_id" | "date_range">;

export interface Widget {
  id: string;
  position: number;
  title: string;
  kind: WidgetKind;
  /** Columns of the 6-column grid. */
  width: number;
  query: WidgetQuery | null;
  sql: string | null;
}

export interface Report {
  id: string;
  name: string;
  dateRange: DateRange;
  position: number;
}

export interface ReportWithWidgets extends Report {
  widgets: Widget[];
}

export type WidgetInput = Pick<Widget, "title" | "kind" | "width"> & ({ query: WidgetQuery } | { sql: string });

export interface SqlResult {
  rows: Record<string, unknown>[];
  from: string;
  to: string;
  timezone: string;
}

export interface SchemaTable {
  name: string;
  columns: { name: string; type: string }[];
}

const reportsPath = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/reports`;
const reportPath = (siteId: string, reportId: string) => `${reportsPath(siteId)}/${encodeURIComponent(reportId)}`;
const widgetPath = (siteId: string, reportId: string, widgetId: string) =>
  `${reportPath(siteId, reportId)}/widgets/${encodeURIComponent(widgetId)}`;

export const reportsApi = {
  list: (siteId: string) => request<{ reports: Report[] }>("GET", reportsPath(siteId)).then((body) => body.reports),
  create: (siteId: string, name: string, dateRange?: DateRange) =>
    request<{ report: Report }>("POST", reportsPath(siteId), { name, dateRange }).then((body) => body.report),
  get: (siteId: string, reportId: string) =>
    request<{ report: ReportWithWidgets }>("GET", reportPath(siteId, reportId)).then((body) => body.report),
  update: (siteId: string, reportId: string, change: Partial<Pick<Report, "name" | "dateRange" | "position">>) =>
    request<{ report: Report }>("PATCH", reportPath(siteId, reportId), change).then((body) => body.report),
  remove: (siteId: string, reportId: string) => request<void>("DELETE", reportPath(siteId, reportId)),
  addWidget: (siteId: string, reportId: string, widget: WidgetInput) =>
    request<{ widget: Widget }>("POST", `${reportPath(siteId, reportId)}/widgets`, widget).then((body) => body.widget),
  updateWidget: (siteId: string, reportId: string, widgetId: string, change: Partial<WidgetInput> & { position?: number }) =>
    request<{ widget: Widget }>("PATCH", widgetPath(siteId, reportId, widgetId), change).then((body) => body.widget),
  removeWidget: (siteId: string, reportId: string, widgetId: string) => request<void>("DELETE", widgetPath(siteId, reportId, widgetId)),
  widgetRows: (siteId: string, reportId: string, widgetId: string, signal?: AbortSignal) =>
    request<SqlResult>("GET", `${widgetPath(siteId, reportId, widgetId)}/rows`, undefined, signal),
  runSql: (siteId: string, reportId: string, sql: string, signal?: AbortSignal) =>
    request<SqlResult>("POST", `${reportPath(siteId, reportId)}/sql`, { sql }, signal),
  schema: (siteId: string) => request<{ tables: SchemaTable[] }>("GET", `${reportsPath(siteId)}/schema`).then((body) => body.tables),
};
