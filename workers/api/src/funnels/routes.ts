import type { ClickHouseClient } from "@clickhouse/client-web";
import { type Context, Hono } from "hono";
import { and, count, eq } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "@pixel/lib/auth/ids";
import { funnels, type FunnelRow } from "@pixel/lib/d1/schema";
import { type Funnel, FunnelName, type FunnelStep, FunnelSteps, MAX_FUNNEL_STEPS, MAX_FUNNELS } from "@pixel/lib/funnels";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody, parseWith } from "../validate";
import { QueryError } from "@pixel/lib/stats/error";
import { checkGoalsConfigured } from "@pixel/lib/stats/filters";
import { type NormalizedQuery, normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { withReader } from "../clickhouse";
import type { CompileContext } from "../stats/planner";
import { goalsOf } from "../stats/routes";
import { runDropOff, runFunnel } from "./report";

const NewFunnel = v.strictObject({ name: FunnelName, steps: FunnelSteps });
const FunnelChange = v.strictObject({ name: v.optional(FunnelName), steps: v.optional(FunnelSteps) });

/** The report's date range and filters, as the v2 query language reads them. */
const ReportBody = v.pick(QueryBody, ["date_range", "filters"]);

/** A step's drop-off: the report's body and the step (1-based) whose drop-off visitors to follow. */
const DropOffBody = v.strictObject({
  ...ReportBody.entries,
  step: v.pipe(v.number("step is a number"), v.integer("step is a whole number"), v.minValue(1, "steps count from 1"), v.maxValue(MAX_FUNNEL_STEPS - 1, `step is at most ${MAX_FUNNEL_STEPS - 1}`)),
});

const funnelBody = (row: FunnelRow): Funnel => ({ id: row.id, name: row.name, steps: row.steps });
const ofSite = (siteId: string, funnelId: string) => and(eq(funnels.id, funnelId), eq(funnels.siteId, siteId));
const missing = (funnelId: string) => ({ error: `funnelId: no funnel ${funnelId} on this site` });

/** Funnels of one site: viewers list them, site admins define, change and remove them. */
export const funnelRoutes = new Hono<ApiContext>()
  .get("/", requireSiteRole("viewer"), async (c) => {
    const rows = await database(c.env.DB).select().from(funnels).where(eq(funnels.siteId, c.var.site.id)).orderBy(funnels.createdAt).all();
    return c.json({ funnels: rows.map(funnelBody) });
  })
  .get("/:funnelId", requireSiteRole("viewer"), async (c) => {
    const funnelId = c.req.param("funnelId");
    const row = await database(c.env.DB).select().from(funnels).where(ofSite(c.var.site.id, funnelId)).get();
    return row ? c.json({ funnel: funnelBody(row) }) : c.json(missing(funnelId), 404);
  })
  .post("/:funnelId/report", requireSiteRole("viewer"), jsonBody(ReportBody), (c) =>
    answerFunnel(c, c.req.valid("json"), runFunnel),
  )
  .post("/:funnelId/drop-off", requireSiteRole("viewer"), jsonBody(DropOffBody), (c) => {
    const { step, ...body } = c.req.valid("json");
    return answerFunnel(c, body, (client, steps, query, context) => {
      if (step >= steps.length) throw new QueryError(`step: this funnel has ${steps.length} steps, and after the last one nobody drops off`);
      return runDropOff(client, steps, step, query, context);
    });
  })
  .post("/", requireSiteRole("admin"), jsonBody(NewFunnel), async (c) => {
    const db = database(c.env.DB);
    const [held] = await db.select({ n: count() }).from(funnels).where(eq(funnels.siteId, c.var.site.id));
    if ((held?.n ?? 0) >= MAX_FUNNELS) return c.json({ error: `this site has the most funnels it can hold (${MAX_FUNNELS}); delete some first` }, 409);
    const [row] = await db.insert(funnels).values({ id: randomId(), siteId: c.var.site.id, ...c.req.valid("json") }).returning();
    return c.json({ funnel: funnelBody(row!) }, 201);
  })
  .patch("/:funnelId", requireSiteRole("admin"), jsonBody(FunnelChange), async (c) => {
    const funnelId = c.req.param("funnelId");
    const change = c.req.valid("json");
    const db = database(c.env.DB);
    const [row] = Object.keys(change).length
      ? await db.update(funnels).set(change).where(ofSite(c.var.site.id, funnelId)).returning()
      : await db.select().from(funnels).where(ofSite(c.var.site.id, funnelId)).all();
    return row ? c.json({ funnel: funnelBody(row) }) : c.json(missing(funnelId), 404);
  })
  .delete("/:funnelId", requireSiteRole("admin"), async (c) => {
    const funnelId = c.req.param("funnelId");
    const removed = await database(c.env.DB).delete(funnels).where(ofSite(c.var.site.id, funnelId)).returning({ id: funnels.id });
    return removed.length ? c.body(null, 204) : c.json(missing(funnelId), 404);
  });

type FunnelRun<T> = (client: ClickHouseClient, steps: FunnelStep[], query: NormalizedQuery, context: CompileContext) => Promise<T>;

/** A funnel of the site read in the body's date range and filters: its report, or a step's drop-off. */
async function answerFunnel<T extends object>(c: Context<ApiContext>, body: v.InferOutput<typeof ReportBody>, run: FunnelRun<T>) {
  const funnelId = c.req.param("funnelId")!;
  const site = c.var.site;
  const row = await database(c.env.DB).select().from(funnels).where(ofSite(site.id, funnelId)).get();
  if (!row) return c.json(missing(funnelId), 404);
  const parsed = parseWith(QueryBody, { ...body, site_id: site.id, metrics: ["visitors"] });
  if ("error" in parsed) return c.json({ error: parsed.error }, 400);
  const goals = await goalsOf(c.env.DB, site.id);
  try {
    const query = normalizeQuery(parsed.output, site);
    checkGoalsConfigured(query.filters, goals.map((goal) => goal.name));
    const answer = await withReader(c.env, (client) => run(client, row.steps, query, { timezone: site.timezone, goals }));
    return c.json({ funnel: funnelBody(row), date_range: query.date_range, ...answer });
  } catch (error) {
    if (error instanceof QueryError) return c.json({ error: error.message }, 400);
    throw error;
  }
}
