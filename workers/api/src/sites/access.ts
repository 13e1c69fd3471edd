import { and, eq } from "drizzle-orm";
import { memberships, sites, type Site, type User } from "../../../../lib/d1/schema";
import { database } from "../db";

/** The sites a user may read: all of them for a global admin, otherwise those they are a member of. */
export async function sitesVisibleTo(d1: D1Database, user: User): Promise<Site[]> {
  const db = database(d1);
  if (user.role === "admin") return db.select().from(sites).orderBy(sites.domain).all();
  return db
    .select({ site: sites })
    .from(sites)
    .innerJoin(memberships, eq(memberships.siteId, sites.id))
    .where(eq(memberships.userId, user.id))
    .orderBy(sites.domain)
    .all()
    .then((rows) => rows.map((row) => row.site));
}

/** The site if the user may read it; an unknown site and a forbidden one look the same. */
export async function readableSite(d1: D1Database, user: User, siteId: string): Promise<Site | undefined> {
  const db = database(d1);
  if (user.role === "admin") return db.select().from(sites).where(eq(sites.id, siteId)).get();
  const row = await db
    .select({ site: sites })
    .from(sites)
    .innerJoin(memberships, and(eq(memberships.siteId, sites.id), eq(memberships.userId, user.id)))
    .where(eq(sites.id, siteId))
    .get();
  return row?.site;
}
