import type { MiddlewareHandler } from "hono";
import { and, eq } from "drizzle-orm";
import { memberships, sites, type Site, type User } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext, SiteRole } from "../env";

export interface SiteAccess {
  site: Site;
  /** A global admin counts as an owner of every site. */
  role: SiteRole;
}

const RANK: Record<SiteRole, number> = { viewer: 1, admin: 2, owner: 3 };

/** The sites a user may read: all of them for a global admin, otherwise those they are a member of. */
export async function sitesVisibleTo(d1: D1Database, user: User): Promise<SiteAccess[]> {
  const db = database(d1);
  if (user.role === "admin") {
    const all = await db.select().from(sites).orderBy(sites.domain).all();
    return all.map((site) => ({ site, role: "owner" }));
  }
  return db
    .select({ site: sites, role: memberships.role })
    .from(sites)
    .innerJoin(memberships, eq(memberships.siteId, sites.id))
    .where(eq(memberships.userId, user.id))
    .orderBy(sites.domain)
    .all();
}

export async function siteAccess(d1: D1Database, user: User, siteId: string): Promise<SiteAccess | undefined> {
  const db = database(d1);
  if (user.role === "admin") {
    const site = await db.select().from(sites).where(eq(sites.id, siteId)).get();
    return site && { site, role: "owner" };
  }
  return db
    .select({ site: sites, role: memberships.role })
    .from(sites)
    .innerJoin(memberships, and(eq(memberships.siteId, sites.id), eq(memberships.userId, user.id)))
    .where(eq(sites.id, siteId))
    .get();
}

/** The site if the user may read it; an unknown site and a forbidden one look the same. */
export async function readableSite(d1: D1Database, user: User, siteId: string): Promise<Site | undefined> {
  return (await siteAccess(d1, user, siteId))?.site;
}

/**
 * For routes under /sites/:siteId: viewers read, admins also edit settings, goals and reports,
 * owners also delete the site and manage its members. Sets `site` and `siteRole`.
 */
export const requireSiteRole =
  (minimum: SiteRole): MiddlewareHandler<ApiContext> =>
  async (c, next) => {
    const siteId = c.req.param("siteId") ?? "";
    const access = await siteAccess(c.env.DB, c.var.user, siteId);
    if (!access) return c.json({ error: `siteId: no site ${siteId} that you can see` }, 404);
    if (RANK[access.role] < RANK[minimum]) {
      return c.json({ error: `you are a ${access.role} of this site; this needs a site ${minimum}` }, 403);
    }
    c.set("site", access.site);
    c.set("siteRole", access.role);
    await next();
  };
