import type { MiddlewareHandler } from "hono";
import type { Site } from "../../../../lib/d1/schema";
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

/** The site the caller may query; unknown and forbidden look the same. A key also needs its owner to still see the site. */
export async function queryableSite(d1: D1Database, caller: Caller, siteId: string): Promise<Site | undefined> {
  switch (caller.kind) {
    case "user":
      return readableSite(d1, caller.user, siteId);
    case "key":
      return caller.siteIds.includes(siteId) ? readableSite(d1, caller.user, siteId) : undefined;
    case "share":
      return caller.site.id === siteId ? caller.site : undefined;
  }
}
