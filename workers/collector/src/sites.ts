import { parentDomains } from "@pixel/lib/d1/hostnames";
import { belongsToSite } from "@pixel/lib/events/traffic";
import type { Shields } from "@pixel/lib/d1/schema";

export interface SiteMatch {
  id: string;
  domain: string;
  hostnames: string[];
  retentionDays: number;
  /** The site's IANA timezone: its calendar days date each browser's visits (returning.ts). */
  timezone: string;
  /** The owner's user id: sites of one account may link visitors across each other (identity: 'device'). */
  account: string;
  /** Hits the site's owner asked not to count (docs/api.md). */
  shields?: Shields;
  /** The site's own names for the script and the hit endpoint, served on its hosts beside the defaults. */
  scriptName?: string;
  endpointName?: string;
}

const TTL_MS = 60_000;
/** Hostnames come from senders; a flood of made-up ones must not grow the cache without bound. */
const CACHE_LIMIT = 5_000;
const cache = new Map<string, { site: SiteMatch | null; until: number }>();

/**
 * The site a hostname belongs to: the one claiming it exactly (as its domain or an extra hostname), else the one whose
 * domain is its closest parent. Claims are unique (site_hostnames), so the answer is never a toss-up.
 */
export async function siteForHost(db: D1Database, hostname: string, now = Date.now()): Promise<SiteMatch | null> {
  const host = hostname.toLowerCase().replace(/^www\./, "");
  const hit = cache.get(host);
  if (hit && hit.until > now) return hit.site;
  const site = await lookup(db, host);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(host, { site, until: now + TTL_MS });
  return site;
}

async function lookup(db: D1Database, host: string): Promise<SiteMatch | null> {
  const candidates = parentDomains(host);
  const row = await db
    .prepare(
      `SELECT id, domain, hostnames, retention_days, timezone, shields, script_name, endpoint_name,
              (SELECT user_id FROM memberships WHERE site_id = sites.id AND role = 'owner' ORDER BY user_id LIMIT 1) AS account
       FROM site_hostnames JOIN sites ON sites.id = site_hostnames.site_id
       WHERE hostname IN (SELECT value FROM json_each(?1)) AND (kind = 'domain' OR hostname = ?2)
       ORDER BY length(hostname) DESC LIMIT 1`,
    )
    .bind(JSON.stringify(candidates), host)
    .first<{ id: string; domain: string; hostnames: string; retention_days: number; timezone: string; shields: string; script_name: string; endpoint_name: string; account: string | null }>();
  if (!row) return null;
  return {
    id: row.id,
    domain: row.domain,
    hostnames: JSON.parse(row.hostnames),
    retentionDays: row.retention_days,
    timezone: row.timezone,
    account: row.account ?? row.id,
    shields: JSON.parse(row.shields),
    scriptName: row.script_name,
    endpointName: row.endpoint_name,
  };
}

export { belongsToSite };

/** The hostname of a URL header (Origin, Referer), or null. */
export function hostOf(value: string | null): string | null {
  if (!value) return null;
  try {
    return new URL(value).hostname || null;
  } catch {
    return null;
  }
}
