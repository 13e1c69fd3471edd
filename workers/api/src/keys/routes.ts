import { Hono } from "hono";
import { and, eq, inArray } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "@pixel/lib/auth/ids";
import { randomToken, sha256Hex } from "@pixel/lib/auth/tokens";
import { apiKeys, apiKeySites, type ApiKey } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { sitesVisibleTo } from "../sites/access";
import { jsonBody } from "../validate";

const NewKey = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  siteIds: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1, "name at least one site"), v.maxLength(100)),
});

const keyBody = (key: ApiKey, siteIds: string[]) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  siteIds,
  createdAt: key.createdAt.toISOString(),
});

/** A user's own read-only stats API keys. The token is in the creation answer only. */
export const keyRoutes = new Hono<ApiContext>()
  .get("/", async (c) => {
    const db = database(c.env.DB);
    const keys = await db.select().from(apiKeys).where(eq(apiKeys.userId, c.var.user.id)).orderBy(apiKeys.createdAt).all();
    const scopes = keys.length
      ? await db.select().from(apiKeySites).where(inArray(apiKeySites.keyId, keys.map((key) => key.id))).all()
      : [];
    const sitesOf = (keyId: string) => scopes.filter((scope) => scope.keyId === keyId).map((scope) => scope.siteId);
    return c.json({ keys: keys.map((key) => keyBody(key, sitesOf(key.id))) });
  })
  .post("/", jsonBody(NewKey), async (c) => {
    const { name, siteIds } = c.req.valid("json");
    const visible = new Set((await sitesVisibleTo(c.env.DB, c.var.user)).map(({ site }) => site.id));
    const unknown = siteIds.find((siteId) => !visible.has(siteId));
    if (unknown) return c.json({ error: `siteIds: no site ${unknown} that you can see` }, 400);
    const token = randomToken("pxk");
    const id = randomId();
    const db = database(c.env.DB);
    const [[key]] = await db.batch([
      db.insert(apiKeys).values({ id, userId: c.var.user.id, name, prefix: token.slice(0, 12), tokenHash: await sha256Hex(token) }).returning(),
      db.insert(apiKeySites).values([...new Set(siteIds)].map((siteId) => ({ keyId: id, siteId }))),
    ]);
    return c.json({ key: keyBody(key!, [...new Set(siteIds)]), token }, 201);
  })
  .delete("/:keyId", async (c) => {
    const keyId = c.req.param("keyId");
    const removed = await database(c.env.DB)
      .delete(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, c.var.user.id)))
      .returning({ id: apiKeys.id });
    if (!removed.length) return c.json({ error: `keyId: you have no key ${keyId}` }, 404);
    return c.body(null, 204);
  });
