import { hash64 } from "../../../../lib/events/hash";

export { hash64 };

export interface VisitorIds {
  visitor_id: string;
  ip_hash: string;
}

/**
 * A visitor is hash(daily salt, site, IP, user agent): countable for a day, never recomputable
 * once the salt is deleted, and nothing of the IP itself is kept.
 */
export async function visitorIds(salt: string, siteId: string, ip: string, userAgent: string): Promise<VisitorIds> {
  const [visitor_id, ip_hash] = await Promise.all([hash64(salt, siteId, ip, userAgent), hash64(salt, ip)]);
  return { visitor_id, ip_hash };
}
