import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "@pixel/lib/auth/ids";
import { goals, type Goal } from "@pixel/lib/d1/schema";
import { Currency } from "@pixel/lib/events/hit";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody } from "../validate";

const DisplayName = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)));

const NewGoal = v.variant("kind", [
  v.strictObject({
    kind: v.literal("event"),
    eventName: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
    displayName: DisplayName,
    /** Makes it a revenue goal: only custom events carry revenue. */
    currency: v.optional(Currency),
  }),
  v.strictObject({
    kind: v.literal("page"),
    pagePath: v.pipe(v.string(), v.trim(), v.startsWith("/", "a page path starts with /"), v.maxLength(2048)),
    displayName: DisplayName,
  }),
], "kind is event or page");

const goalBody = (goal: Goal) => ({
  id: goal.id,
  kind: goal.kind,
  eventName: goal.eventName,
  pagePath: goal.pagePath,
  displayName: goal.displayName,
  currency: goal.currency,
});

/** Goals of one site: viewers list them, site admins add and remove them. */
export const goalRoutes = new Hono<ApiContext>()
  .get("/", requireSiteRole("viewer"), async (c) => {
    const all = await database(c.env.DB).select().from(goals).where(eq(goals.siteId, c.var.site.id)).orderBy(goals.createdAt).all();
    return c.json({ goals: all.map(goalBody) });
  })
  .post("/", requireSiteRole("admin"), jsonBody(NewGoal), async (c) => {
    const input = c.req.valid("json");
    const [eventName, pagePath, currency] = input.kind === "event" ? [input.eventName, null, input.currency ?? null] : [null, input.pagePath, null];
    const displayName = input.displayName ?? (input.kind === "event" ? input.eventName : `Visit ${input.pagePath}`);
    const db = database(c.env.DB);
    const existing = await db
      .select({ id: goals.id })
      .from(goals)
      .where(and(eq(goals.siteId, c.var.site.id), eq(goals.displayName, displayName)))
      .get();
    if (existing) return c.json({ error: `displayName: this site already has a goal called ${displayName}` }, 409);
    const [goal] = await db
      .insert(goals)
      .values({ id: randomId(), siteId: c.var.site.id, kind: input.kind, eventName, pagePath, displayName, currency })
      .returning();
    return c.json({ goal: goalBody(goal!) }, 201);
  })
  .delete("/:goalId", requireSiteRole("admin"), async (c) => {
    const goalId = c.req.param("goalId");
    const removed = await database(c.env.DB)
      .delete(goals)
      .where(and(eq(goals.id, goalId), eq(goals.siteId, c.var.site.id)))
      .returning({ id: goals.id });
    if (!removed.length) return c.json({ error: `goalId: no goal ${goalId} on this site` }, 404);
    return c.body(null, 204);
  });
