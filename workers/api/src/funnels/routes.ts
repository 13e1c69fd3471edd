import { Hono } from "hono";
import { and, count, eq } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "../../../../lib/auth/ids";
import { funnels, type FunnelRow } from "../../../../lib/d1/schema";
import { FunnelName, FunnelSteps, MAX_FUNNELS, type Funnel } from "../../../../lib/funnels";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody } from "../validate";

const NewFunnel = v.strictObject({ name: FunnelName, steps: FunnelSteps });
const FunnelChange = v.strictObject({ name: v.optional(FunnelName), steps: v.optional(FunnelSteps) });

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
