import { ipv6Network } from "@pixel/lib/http/network";
import { ipHash } from "./enrich/visitor";
import type { CollectorEnv } from "./env";
import { saltsFor } from "./salts";

/**
 * The collector's rate limits, counted by Cloudflare's rate limiting binding (wrangler.toml `[[ratelimits]]`,
 * `simple = { limit, period }`). Keys hold the daily hash of the sender's address, never the address itself.
 * Without a binding nothing is limited.
 */

/**
 * The address a limit counts: IPv4 whole, IPv6 by its /64 prefix, since one subscriber gets a whole /64 and
 * can send from any address in it.
 */
export function limitedAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : (ipv6Network(ip) ?? ip);
}

/**
 * Hits per minute one visitor may send one site (`VISITOR_LIMIT`). The key is the site and the address's daily
 * hash: a visitor cannot escape the limit by changing its user agent.
 */
export function visitorLimiter(binding: RateLimit | undefined, addressHash: string): (siteId: string) => Promise<boolean> {
  if (!binding) return async () => true;
  return async (siteId) => (await binding.limit({ key: `${siteId}:${addressHash}` })).success;
}

export const tooManyHits = (hits: number) =>
  `${hits} ${hits === 1 ? "hit is" : "hits are"} over this visitor's limit of hits per minute; send ${hits === 1 ? "it" : "them"} again later`;

/**
 * Requests of which nothing is stored (refused bodies, and hits that are all bots', shielded or for unknown
 * sites) per minute from one address (`REFUSED_LIMIT`): past it they are answered 429 and no longer counted, so a
 * flood of junk costs no site lookups and no queue messages.
 */
export async function refusedAllowed(env: CollectorEnv, ip: string, now: number): Promise<boolean> {
  if (!env.REFUSED_LIMIT) return true;
  const salts = await saltsFor(env.SALTS, now);
  return (await env.REFUSED_LIMIT.limit({ key: await ipHash(salts.current, limitedAddress(ip)) })).success;
}

export const TOO_MANY_REFUSED = "too many refused requests from this address (the collector's limit of refused requests per minute); fix the requests, or send again later";
