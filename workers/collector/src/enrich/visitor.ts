import { hash64 as sha256Id } from "@pixel/lib/events/hash";

const DAY_MS = 86_400_000;
/** Keys hold IPs and salts: the cache is bounded, and starts over with the first hit of each UTC day. */
const CACHE_LIMIT = 10_000;
let cache = { until: 0, ids: new Map<string, string>() };

/**
 * hash64, remembered in this isolate for the rest of the UTC day. A visitor's hits come in runs (a page
 * view, its engagement, its events) and each needs a visitor, an IP and a session hash: SHA-256 through
 * crypto.subtle is the costliest step of a hit after the queue send. Nothing of the cache leaves the isolate.
 */
export async function hash64(...parts: string[]): Promise<string> {
  const now = Date.now();
  if (now >= cache.until) cache = { until: now - (now % DAY_MS) + DAY_MS, ids: new Map() };
  const key = parts.join("\u0000");
  const known = cache.ids.get(key);
  if (known !== undefined) return known;
  const id = await sha256Id(...parts);
  if (cache.ids.size >= CACHE_LIMIT) cache.ids.delete(cache.ids.keys().next().value!);
  cache.ids.set(key, id);
  return id;
}

/** The daily IP hash: the IP's stand-in for the day, in rows and in the rate limiter's key. */
export const ipHash = (salt: string, ip: string) => hash64(salt, ip);

export interface VisitorIds {
  visitor_id: string;
  ip_hash: string;
}

/**
 * A visitor is hash(daily salt, site, IP, user agent): countable for a day, never recomputable
 * once the salt is deleted, and nothing of the IP itself is kept.
 */
export async function visitorIds(salt: string, siteId: string, ip: string, userAgent: string, knownIpHash?: string): Promise<VisitorIds> {
  const [visitor_id, ip_hash] = await Promise.all([hash64(salt, siteId, ip, userAgent), knownIpHash ?? ipHash(salt, ip)]);
  return { visitor_id, ip_hash };
}
