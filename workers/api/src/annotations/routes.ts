import { Hono } from "hono";
import { and, asc, count, eq, gte, lte } from "drizzle-orm";
import * as v from "valibot";
import { MAX_ANNOTATION_LENGTH, MAX_ANNOTATIONS } from "@pixel/lib/annotations";
import { randomId } from "@pixel/lib/auth/ids";
import { annotations, type Annotation } from "@pixel/lib/d1/schema";
import { isoDate } from "@pixel/lib/stats/query";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody, parseWith } from "../validate";

const Text = v.pipe(v.string(), v.trim(), v.minLength(1, "write some text"), v.maxLength(MAX_ANNOTATION_LENGTH, `at most ${MAX_ANNOTATION_LENGTH} characters`));
const NewAnnotation = v.strictObject({ date: isoDate, text: Text });
const AnnotationChange = v.strictObject({ date: v.optional(isoDate), text: v.optional(Text) });
const Range = v.strictObject({ from: v.optional(isoDate), to: v.optional(isoDate) });

const annotationBody = (annotation: Annotation) => ({ id: annotation.id, date: annotation.date, text: annotation.text });

const ofSite = (siteId: string, annotationId: string) => and(eq(annotations.id, annotationId), eq(annotations.siteId, siteId));
const missing = (annotationId: string) => ({ error: `annotationId: no annotation ${annotationId} on this site` });

/**
 * Annotations of one site, by date: viewers read them, site admins write them. Share links don't see them: they are
 * the team's notes, and a public dashboard should not publish them.
 */
export const annotationRoutes = new Hono<ApiContext>()
  .get("/", requireSiteRole("viewer"), async (c) => {
    const range = parseWith(Range, c.req.query());
    if ("error" in range) return c.json({ error: range.error }, 400);
    const { from, to } = range.output;
    const rows = await database(c.env.DB)
      .select()
      .from(annotations)
      .where(and(eq(annotations.siteId, c.var.site.id), from ? gte(annotations.date, from) : undefined, to ? lte(annotations.date, to) : undefined))
      .orderBy(asc(annotations.date), asc(annotations.createdAt))
      .all();
    return c.json({ annotations: rows.map(annotationBody) });
  })
  .post("/", requireSiteRole("admin"), jsonBody(NewAnnotation), async (c) => {
    const db = database(c.env.DB);
    const [held] = await db.select({ n: count() }).from(annotations).where(eq(annotations.siteId, c.var.site.id));
    if ((held?.n ?? 0) >= MAX_ANNOTATIONS) {
      return c.json({ error: `this site has the most annotations it can hold (${MAX_ANNOTATIONS}); delete some first` }, 409);
    }
    const [annotation] = await db
      .insert(annotations)
      .values({ id: randomId(), siteId: c.var.site.id, ...c.req.valid("json") })
      .returning();
    return c.json({ annotation: annotationBody(annotation!) }, 201);
  })
  .patch("/:annotationId", requireSiteRole("admin"), jsonBody(AnnotationChange), async (c) => {
    const annotationId = c.req.param("annotationId");
    const change = c.req.valid("json");
    const db = database(c.env.DB);
    const [annotation] = Object.keys(change).length
      ? await db.update(annotations).set(change).where(ofSite(c.var.site.id, annotationId)).returning()
      : await db.select().from(annotations).where(ofSite(c.var.site.id, annotationId)).all();
    if (!annotation) return c.json(missing(annotationId), 404);
    return c.json({ annotation: annotationBody(annotation) });
  })
  .delete("/:annotationId", requireSiteRole("admin"), async (c) => {
    const annotationId = c.req.param("annotationId");
    const removed = await database(c.env.DB).delete(annotations).where(ofSite(c.var.site.id, annotationId)).returning({ id: annotations.id });
    if (!removed.length) return c.json(missing(annotationId), 404);
    return c.body(null, 204);
  });
