import { hash64 } from "../../../../lib/events/hash";

export { hash64 };

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
