const encoder = new TextEncoder();

/** The first 8 bytes of SHA-256 over the parts, as an unsigned 64-bit decimal string. */
export async function hash64(...parts: string[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(parts.join("\u0000")));
  return new DataView(digest).getBigUint64(0).toString();
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
