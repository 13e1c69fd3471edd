import { eq } from "drizzle-orm";
import { sha256Hex } from "@pixel/lib/auth/tokens";
import { sites, type Site } from "@pixel/lib/d1/schema";
import { database } from "../db";

/** The site behind a share token, if sharing is on. */
export async function sharedSite(d1: D1Database, token: string): Promise<Site | undefined> {
  const site = await database(d1).select().from(sites).where(eq(sites.shareTokenHash, await sha256Hex(token))).get();
  return site?.publicShare ? site : undefined;
}

/** Who may frame the share page (CSP `frame-ancestors`): nobody, unless embedding is on; then the site's own https pages. */
export const frameAncestors = (site: Site): string[] => (site.shareEmbed ? [`https://${site.domain}`, `https://*.${site.domain}`] : []);
