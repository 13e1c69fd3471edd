import { type Context, Hono } from "hono";
import { and, asc, eq } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "@pixel/lib/auth/ids";
import { reports, widgets, type Report, type Site, type Widget } from "@pixel/lib/d1/schema";
import { WIDGET_KINDS } from "@pixel/lib/d1/widget-kinds";
import { requireGlobalAdmin } from "../auth/session";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { localBounds, resolveDateRange } from "@pixel/lib/stats/dates";
import { QueryError } from "@pixel/lib/stats/error";
import { normalizeQuery, QueryBody, type ParsedQuery } from "@pixel/lib/stats/query";
import { jsonBody } from "../validate";
import { findReport, noReport, type Db } from "./lookup";
import { moveTo, renumber, writeAll } from "./positions";
import { notASelect, runReadOnlySql, SqlRefused } from "./sql";

/** A saved stats query: site_id and date_range come from the report. */
const WidgetQuery = v.omit(QueryBody, ["site_id", "date_range"]);
const Title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
const Kind = v.picklist(WIDGET_KINDS, `kind is one of ${WIDGET_KINDS.join(", ")}`);
const Width = v.pipe(v.number(), v.integer(), v.minValue(1, "width is 1 to 6 columns"), v.maxValue(6, "width is 1 to 6 columns"));
export const Sql = v.pipe(v.string(), v.minLength(1), v.maxLength(20_000));
const ONE_SOURCE = "query: a widget has either a query or sql";

const NewWidget = v.pipe(
  v.strictObject({ title: Title, kind: Kind, width: v.optional(Width, 2), query: v.optional(WidgetQuery), sql: v.optional(Sql) }),
  v.check((widget) => (widget.query === undefined) !== (widget.sql === undefined), ONE_SOURCE),
);
const WidgetChange = v.pipe(
  v.strictObject({
    title: v.optional(Title),
    kind: v.optional(Kind),
    width: v.optional(Width),
    query: v.optional(WidgetQuery),
    sql: v.optional(Sql),
    position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  v.check((widget) => widget.query === undefined || widget.sql === undefined, ONE_SOURCE),
);

export const widgetBody = (widget: Widget) => ({
  id: widget.id,
  position: widget.position,
  title: widget.title,
  kind: widget.kind,
  width: widget.width,
  query: widget.query,
  sql: widget.sql,
});

const SQL_FOR_ADMINS = { error: "sql: only global admins may write or run SQL widgets" };

function sourceProblem(source: { query?: v.InferOutput<typeof WidgetQuery>; sql?: string }, report: Report, site: Site): string | null {
  if (source.sql !== undefined) return notASelect(source.sql);
  if (source.query === undefined) return null;
  try {
    normalizeQuery({ ...source.query, site_id: site.id, date_range: report.dateRange as ParsedQuery["date_range"] }, site);
    return null;
  } catch (error) {
    if (error instanceof QueryError) return `query: ${error.message}`;
    throw error;
  }
}

const reportWidgetIds = async (db: Db, reportId: string) =>
  (await db.select({ id: widgets.id }).from(widgets).where(eq(widgets.reportId, reportId)).orderBy(asc(widgets.position)).all()).map((w) => w.id);

/** The widget with its report, if both exist and the report is on the route's site. */
const reportAndWidget = (c: Context<ApiContext>) =>
  database(c.env.DB)
    .select({ report: reports, widget: widgets })
    .from(widgets)
    .innerJoin(reports, eq(reports.id, widgets.reportId))
    .where(and(eq(widgets.id, c.req.param("widgetId") ?? ""), eq(reports.id, c.req.param("reportId") ?? ""), eq(reports.siteId, c.var.site.id)))
    .get();

const noWidget = (c: Context<ApiContext>) => c.json({ error: `widgetId: no widget ${c.req.param("widgetId")} in this report` }, 404);

/** Under /sites/:siteId/reports/:reportId/widgets. */
export const widgetRoutes = new Hono<ApiContext>()
  .post("/", requireSiteRole("admin"), jsonBody(NewWidget), async (c) => {
    const input = c.req.valid("json");
    if (input.sql !== undefined && c.var.user.role !== "admin") return c.json(SQL_FOR_ADMINS, 403);
    const db = database(c.env.DB);
    const reportId = c.req.param("reportId") ?? "";
    const report = await findReport(db, c.var.site.id, reportId);
    if (!report) return c.json(noReport(reportId), 404);
    const problem = sourceProblem(input, report, c.var.site);
    if (problem) return c.json({ error: problem }, 400);
    const position = (await reportWidgetIds(db, report.id)).length;
    const [widget] = await db
      .insert(widgets)
      .values({ ...input, id: randomId(), reportId: report.id, position, query: input.query ?? null, sql: input.sql ?? null })
      .returning();
    return c.json({ widget: widgetBody(widget!) }, 201);
  })
  .patch("/:widgetId", requireSiteRole("admin"), jsonBody(WidgetChange), async (c) => {
    const { position, ...change } = c.req.valid("json");
    const found = await reportAndWidget(c);
    if (!found) return noWidget(c);
    const { report, widget } = found;
    const db = database(c.env.DB);
    if ((widget.sql !== null || change.sql !== undefined) && c.var.user.role !== "admin") return c.json(SQL_FOR_ADMINS, 403);
    const problem = sourceProblem(change, report, c.var.site);
    if (problem) return c.json({ error: problem }, 400);
    const source = change.query ? { sql: null } : change.sql ? { query: null } : {};
    const set = { ...change, ...source };
    await writeAll(db, [
      ...(Object.keys(set).length ? [db.update(widgets).set(set).where(eq(widgets.id, widget.id))] : []),
      ...(position === undefined ? [] : renumber(db, widgets, moveTo(await reportWidgetIds(db, report.id), widget.id, position))),
    ]);
    return c.json({ widget: widgetBody((await reportAndWidget(c))!.widget) });
  })
  .delete("/:widgetId", requireSiteRole("admin"), async (c) => {
    const found = await reportAndWidget(c);
    if (!found) return noWidget(c);
    const { report, widget } = found;
    const db = database(c.env.DB);
    const rest = (await reportWidgetIds(db, report.id)).filter((id) => id !== widget.id);
    await writeAll(db, [db.delete(widgets).where(eq(widgets.id, widget.id)), ...renumber(db, widgets, rest)]);
    return c.body(null, 204);
  })
  .get("/:widgetId/rows", requireSiteRole("viewer"), requireGlobalAdmin, async (c) => {
    const found = await reportAndWidget(c);
    if (!found) return noWidget(c);
    const { report, widget } = found;
    if (widget.sql === null) return c.json({ error: "widgetId: this widget is a stats query; send it to POST /api/v2/query" }, 400);
    return runReportSql(c, report, widget.sql);
  });

/** Runs SQL over the report's days on its site; a statement ClickHouse refuses is a 400 with its message. */
export async function runReportSql(c: Context<ApiContext>, report: Report, sql: string) {
  const site = c.var.site;
  const [from, to] = localBounds(resolveDateRange(report.dateRange as ParsedQuery["date_range"], site, new Date()));
  try {
    const rows = await runReadOnlySql(c.env, sql, { site_id: site.id, from, to }, site.timezone);
    return c.json({ rows, from, to, timezone: site.timezone });
  } catch (error) {
    if (error instanceof SqlRefused) return c.json({ error: error.message }, 400);
    throw error;
  }
}
