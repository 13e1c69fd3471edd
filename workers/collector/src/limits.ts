/**
 * Hits per minute one visitor may send one site, counted by Cloudflare's rate limiting binding
 * (`VISITOR_LIMIT` in wrangler.toml: `simple = { limit, period }`). The key is the site and the daily
 * IP hash, never the IP: a visitor cannot escape the limit by changing its user agent. Without the
 * binding nothing is limited.
 */
export function visitorLimiter(binding: RateLimit | undefined, todaysIpHash: string): (siteId: string) => Promise<boolean> {
  if (!binding) return async () => true;
  return async (siteId) => (await binding.limit({ key: `${siteId}:${todaysIpHash}` })).success;
}

export const tooManyHits = (hits: number) =>
  `${hits} ${hits === 1 ? "hit is" : "hits are"} over this visitor's limit of hits per minute; send ${hits === 1 ? "it" : "them"} again later`;
