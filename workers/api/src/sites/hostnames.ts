import { and, eq, inArray, ne } from "drizzle-orm";
import { parentDomains } from "@pixel/lib/d1/hostnames";
import { memberships, siteHostnames, type User } from "@pixel/lib/d1/schema";
import { database } from "../db";

export interface ClaimRefusal {
  status: 403 | 409;
  error: string;
}

/**
 * Why `user` may not give these hostnames (normalized) to the site `siteId` (undefined for a new site): one that
 * another site already claims is taken; one under another site's domain needs that site's owner or a global admin.
 * The database refuses a taken hostname too (site_hostnames); this check finds it first to say which one.
 */
export async function claimRefusal(d1: D1Database, user: User, siteId: string | undefined, claims: { field: string; hostname: string }[]): Promise<ClaimRefusal | undefined> {
  if (!claims.length) return undefined;
  const db = database(d1);
  const names = [...new Set(claims.flatMap(({ hostname }) => parentDomains(hostname)))];
  const others = await db
    .select()
    .from(siteHostnames)
    .where(and(inArray(siteHostnames.hostname, names), siteId ? ne(siteHostnames.siteId, siteId) : undefined))
    .all();
  for (const { field, hostname } of claims) {
    if (others.some((other) => other.hostname === hostname)) return taken(field, hostname);
  }
  if (user.role === "admin") return undefined;
  for (const { field, hostname } of claims) {
    const parents = others.filter((other) => other.kind === "domain" && hostname.endsWith(`.${other.hostname}`));
    for (const parent of parents) {
      if (!(await ownsSite(d1, user, parent.siteId))) {
        return {
          status: 403,
          error: `${field}: ${hostname} is under ${parent.hostname}, another site's domain; only that site's owner or a global admin may claim it`,
        };
      }
    }
  }
  return undefined;
}

const taken = (field: string, hostname: string): ClaimRefusal => ({ status: 409, error: `${field}: ${hostname} already belongs to another site in this Pixel` });

/** The answer when the database refused a claim that raced past claimRefusal. */
export const RACED: ClaimRefusal = { status: 409, error: "hostnames: another site claimed one of these hostnames just now; reload and try again" };

async function ownsSite(d1: D1Database, user: User, siteId: string): Promise<boolean> {
  const row = await database(d1)
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.siteId, siteId), eq(memberships.userId, user.id)))
    .get();
  return row?.role === "owner";
}
