import { Hono } from "hono";
import { asc, eq } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "@pixel/lib/auth/ids";
import { reports, widgets, type Report } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireGlobalAdmin } from "../auth/session";
import { requireSiteRole } from "../sites/access";
import { QueryBody } from "@pixel/lib/stats/query";
import { jsonBody } from "../validate";
import { findReport, noReport, type Db } from "./lookup";
import { moveTo, renumber, writeAll } from "./positions";
import { readSchema } from "./schema";
import { notASelect } from "./sql";
import { runReportSql, Sql, widgetBody, widgetRoutes } from "./widgets";

const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200));
const DateRange = v.pipe(
  QueryBody.entries.date_range,
  v.check((range) => !Array.isArray(range) || range[0] <= range[1], "the first date is after the second"),
);
const NewReport = v.strictObject({ name: Name, dateRange: v.optional(DateRange, "30d") });
const ReportChange = v.strictObject({
  name: v.optional(Name),
  dateRange: v.optional(DateRange),
  position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

const reportBody = (report: Report) => ({ id: report.id, name: report.name, dateRange: report.dateRange, position: report.position });

const siteReportIds = async (db: Db, siteId: string) =>
  (await db.select({ id: reports.id }).from(reports).where(eq(reports.siteId, siteId)).orderBy(asc(reports.position)).all()).map((r) => r.id);

/** A site's reports: viewers read them, site admins change them. Positions are 0, 1, 2, … in display order. */
export const reportRoutes = new Hono<ApiContext>()
  .get("/", requireSiteRole("viewer"), async (c) => {
    const all = await database(c.env.DB).select().from(reports).where(eq(reports.siteId, c.var.site.id)).orderBy(asc(reports.position)).all();
    return c.json({ reports: all.map(reportBody) });
  })
  .post("/", requireSiteRole("admin"), jsonBody(NewReport), async (c) => {
    const { name, dateRange } = c.req.valid("json");
    const db = database(c.env.DB);
    const position = (await siteReportIds(db, c.var.site.id)).length;
    const [report] = await db.insert(reports).values({ id: randomId(), siteId: c.var.site.id, name, dateRange, position }).returning();
    return c.json({ report: reportBody(report!) }, 201);
  })
  .get("/schema", requireSiteRole("viewer"), requireGlobalAdmin, async (c) => c.json({ tables: await readSchema(c.env) }))
  .get("/:reportId", requireSiteRole("viewer"), async (c) => {
    const db = database(c.env.DB);
    const report = await findReport(db, c.var.site.id, c.req.param("reportId"));
    if (!report) return c.json(noReport(c.req.param("reportId")), 404);
    const items = await db.select().from(widgets).where(eq(widgets.reportId, report.id)).orderBy(asc(widgets.position)).all();
    return c.json({ report: { ...reportBody(report), widgets: items.map(widgetBody) } });
  })
  .patch("/:reportId", requireSiteRole("admin"), jsonBody(ReportChange), async (c) => {
    const { position, ...change } = c.req.valid("json");
    const db = database(c.env.DB);
    const report = await findReport(db, c.var.site.id, c.req.param("reportId"));
    if (!report) return c.json(noReport(c.req.param("reportId")), 404);
    await writeAll(db, [
      ...(Object.keys(change).length ? [db.update(reports).set(change).where(eq(reports.id, report.id))] : []),
      ...(position === undefined ? [] : renumber(db, reports, moveTo(await siteReportIds(db, c.var.site.id), report.id, position))),
    ]);
    return c.json({ report: reportBody((await findReport(db, c.var.site.id, report.id))!) });
  })
  .delete("/:reportId", requireSiteRole("admin"), async (c) => {
    const db = database(c.env.DB);
    const report = await findReport(db, c.var.site.id, c.req.param("reportId"));
    if (!report) return c.json(noReport(c.req.param("reportId")), 404);
    const rest = (await siteReportIds(db, c.var.site.id)).filter((id) => id !== report.id);
    await writeAll(db, [db.delete(reports).where(eq(reports.id, report.id)), ...renumber(db, reports, rest)]);
    return c.body(null, 204);
  })
  .post("/:reportId/sql", requireSiteRole("viewer"), requireGlobalAdmin, jsonBody(v.strictObject({ sql: Sql })), async (c) => {
    const report = await findReport(database(c.env.DB), c.var.site.id, c.req.param("reportId"));
    if (!report) return c.json(noReport(c.req.param("reportId")), 404);
    const { sql } = c.req.valid("json");
    const problem = notASelect(sql);
    return problem ? c.json({ error: problem }, 400) : runReportSql(c, report, sql);
  })
  .route("/:reportId/widgets", widgetRoutes);
