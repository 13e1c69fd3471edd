import { eq, or } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { type Site, sites } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext, Caller } from "../env";
import { apiKeyCaller } from "../keys/access";
import { sharedSite } from "../shares/access";
import { readableSite } from "../sites/access";
import { requireUser } from "./session";

/**
 * For the read-only stats routes: a session cookie, or `Authorization: Bearer` with an API key (`pxk_…`)
 * or a share token (`pxs_…`). Sets `caller`.
 */
export const requireCaller: MiddlewareHandler<ApiContext> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    return requireUser(c, async () => {
      c.set("caller", { kind: "user", user: c.var.user });
      await next();
    });
  }
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const caller = token ? await callerForToken(c.env.DB, token) : undefined;
  if (!caller) return c.json({ error: "authorization: this API key or share token is not valid" }, 401);
  c.set("caller", caller);
  await next();
};

async function callerForToken(d1: D1Database, token: string): Promise<Caller | undefined> {
  if (token.startsWith("pxk_")) return apiKeyCaller(d1, token);
  if (!token.startsWith("pxs_")) return undefined;
  const site = await sharedSite(d1, token);
  return site && { kind: "share", site };
}

/**
 * The site the caller may query, named by its id or, as Plausible's clients name it, its domain; unknown and
 * forbidden look the same. A key also needs its owner to still see the site.
 */
export async function queryableSite(d1: D1Database, caller: Caller, idOrDomain: string): Promise<Site | undefined> {
  if (caller.kind === "share") return caller.site.id === idOrDomain || caller.site.domain === idOrDomain ? caller.site : undefined;
  const siteId = await siteIdOf(d1, idOrDomain);
  if (!siteId) return undefined;
  if (caller.kind === "key" && !caller.siteIds.includes(siteId)) return undefined;
  return readableSite(d1, caller.user, siteId);
}

async function siteIdOf(d1: D1Database, idOrDomain: string): Promise<string | undefined> {
  const site = await database(d1)
    .select({ id: sites.id })
    .from(sites)
    .where(or(eq(sites.id, idOrDomain), eq(sites.domain, idOrDomain)))
    .get();
  return site?.id;
}
