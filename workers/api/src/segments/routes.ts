import { Hono, type Context } from "hono";
import { and, asc, count, eq, inArray, or } from "drizzle-orm";
import * as v from "valibot";
import { segments, type Segment } from "@pixel/lib/d1/schema";
import { checkNoNestedSegments, MAX_SEGMENT_NAME_LENGTH, MAX_SEGMENTS, SEGMENT_VISIBILITIES } from "@pixel/lib/segments";
import { QueryError } from "@pixel/lib/stats/error";
import { parseFilters } from "@pixel/lib/stats/filters";
import { MAX_FILTERS } from "@pixel/lib/stats/limits";
import { database } from "../db";
import type { ApiContext, Caller } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody } from "../validate";

const Name = v.pipe(v.string(), v.trim(), v.minLength(1, "give the segment a name"), v.maxLength(MAX_SEGMENT_NAME_LENGTH, `at most ${MAX_SEGMENT_NAME_LENGTH} characters`));
const Visibility = v.picklist(SEGMENT_VISIBILITIES, `private or shared`);
const Filters = v.pipe(v.array(v.unknown()), v.minLength(1, "a segment needs at least one filter"), v.maxLength(MAX_FILTERS, `at most ${MAX_FILTERS} filters`));
const NewSegment = v.strictObject({ name: Name, visibility: Visibility, filters: Filters });
const SegmentChange = v.strictObject({ name: v.optional(Name), visibility: v.optional(Visibility), filters: v.optional(Filters) });

const segmentBody = (segment: Segment) => ({ id: segment.id, name: segment.name, visibility: segment.visibility, filters: segment.filters });
const missing = (segmentId: string) => ({ error: `segmentId: no segment ${segmentId} on this site that you can see` });

/** The segments of a site a caller may use: shared ones, and a signed-in author's private ones. Share links see shared ones only. */
export function visibleSegments(siteId: string, caller: Caller) {
  const own = caller.kind === "share" ? undefined : and(eq(segments.visibility, "private"), eq(segments.authorId, caller.user.id));
  return and(eq(segments.siteId, siteId), or(eq(segments.visibility, "shared"), own));
}

/** The filters of the named segments of a site that the caller may use; ids not among them are missing from the map. */
export async function segmentFilters(d1: D1Database, siteId: string, caller: Caller, ids: number[]): Promise<Map<number, unknown[]>> {
  if (!ids.length) return new Map();
  const rows = await database(d1)
    .select({ id: segments.id, filters: segments.filters })
    .from(segments)
    .where(and(visibleSegments(siteId, caller), inArray(segments.id, ids)))
    .all();
  return new Map(rows.map((row) => [row.id, row.filters]));
}

/** Saved filters must be valid query filters, and can't hold a segment. */
function checkFilters(filters: unknown[]): string | undefined {
  try {
    checkNoNestedSegments(filters);
    parseFilters(filters);
  } catch (error) {
    if (error instanceof QueryError) return error.message;
    throw error;
  }
}

/** Private segments are their author's to change; shared ones are the site admins'. */
function mayManage(c: Context<ApiContext>, segment: Pick<Segment, "authorId" | "visibility">) {
  return segment.visibility === "private" ? segment.authorId === c.var.user.id : c.var.siteRole !== "viewer";
}
const NEEDS_ADMIN = "a shared segment is managed by the site's admins; you are a viewer";

/** The picker lists segments by name: two the user can see may not share one. */
async function nameTaken(c: Context<ApiContext>, name: string, except?: number): Promise<string | undefined> {
  const [same] = await database(c.env.DB)
    .select({ id: segments.id })
    .from(segments)
    .where(and(visibleSegments(c.var.site.id, { kind: "user", user: c.var.user }), eq(segments.name, name)))
    .all();
  if (same && same.id !== except) return `name: a segment named "${name}" already exists on this site; choose another name`;
}

/** The segment with this id the user can see on this site, or undefined. */
async function findSegment(c: Context<ApiContext>, segmentId: string) {
  const id = Number(segmentId);
  if (!Number.isSafeInteger(id)) return undefined;
  return database(c.env.DB)
    .select()
    .from(segments)
    .where(and(visibleSegments(c.var.site.id, { kind: "user", user: c.var.user }), eq(segments.id, id)))
    .get();
}

export const segmentRoutes = new Hono<ApiContext>()
  .get("/", requireSiteRole("viewer"), async (c) => {
    const rows = await database(c.env.DB)
      .select()
      .from(segments)
      .where(visibleSegments(c.var.site.id, { kind: "user", user: c.var.user }))
      .orderBy(asc(segments.name), asc(segments.id))
      .all();
    return c.json({ segments: rows.map(segmentBody) });
  })
  .post("/", requireSiteRole("viewer"), jsonBody(NewSegment), async (c) => {
    const input = c.req.valid("json");
    if (input.visibility === "shared" && c.var.siteRole === "viewer") return c.json({ error: NEEDS_ADMIN }, 403);
    const invalid = checkFilters(input.filters);
    if (invalid) return c.json({ error: invalid }, 400);
    const taken = await nameTaken(c, input.name);
    if (taken) return c.json({ error: taken }, 409);
    const db = database(c.env.DB);
    const [held] = await db.select({ n: count() }).from(segments).where(eq(segments.siteId, c.var.site.id));
    if ((held?.n ?? 0) >= MAX_SEGMENTS) {
      return c.json({ error: `this site has the most segments it can hold (${MAX_SEGMENTS}); delete some first` }, 409);
    }
    const [segment] = await db
      .insert(segments)
      .values({ siteId: c.var.site.id, authorId: c.var.user.id, ...input })
      .returning();
    return c.json({ segment: segmentBody(segment!) }, 201);
  })
  .patch("/:segmentId", requireSiteRole("viewer"), jsonBody(SegmentChange), async (c) => {
    const segmentId = c.req.param("segmentId");
    const change = c.req.valid("json");
    const segment = await findSegment(c, segmentId);
    if (!segment) return c.json(missing(segmentId), 404);
    if (!mayManage(c, segment) || !mayManage(c, { ...segment, ...change })) return c.json({ error: NEEDS_ADMIN }, 403);
    const invalid = change.filters && checkFilters(change.filters);
    if (invalid) return c.json({ error: invalid }, 400);
    const taken = change.name !== undefined && (await nameTaken(c, change.name, segment.id));
    if (taken) return c.json({ error: taken }, 409);
    if (!Object.keys(change).length) return c.json({ segment: segmentBody(segment) });
    const [changed] = await database(c.env.DB).update(segments).set(change).where(eq(segments.id, segment.id)).returning();
    return c.json({ segment: segmentBody(changed!) });
  })
  .delete("/:segmentId", requireSiteRole("viewer"), async (c) => {
    const segmentId = c.req.param("segmentId");
    const segment = await findSegment(c, segmentId);
    if (!segment) return c.json(missing(segmentId), 404);
    if (!mayManage(c, segment)) return c.json({ error: NEEDS_ADMIN }, 403);
    await database(c.env.DB).delete(segments).where(eq(segments.id, segment.id));
    return c.body(null, 204);
  });
