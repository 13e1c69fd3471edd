import type { MiddlewareHandler } from "hono";
import type { ApiContext, Caller } from "../env";

/**
 * Stats requests per minute, counted by Cloudflare's rate limiting binding (wrangler.toml `[[ratelimits]]`): each
 * user and each API key under `STATS_LIMIT`, each share link under `SHARE_LIMIT` (all its viewers together).
 * Without a binding nothing is limited.
 */
export const statsRateLimit: MiddlewareHandler<ApiContext> = async (c, next) => {
  const caller = c.var.caller;
  const binding = caller.kind === "share" ? c.env.SHARE_LIMIT : c.env.STATS_LIMIT;
  if (binding && !(await binding.limit({ key: limitKey(caller) })).success) {
    return c.json({ error: `too many stats requests: ${LIMIT_NAMES[caller.kind]} is reached; try again in a minute` }, 429, { "retry-after": "60" });
  }
  await next();
};

const LIMIT_NAMES: Record<Caller["kind"], string> = {
  user: "your limit of stats requests per minute",
  key: "this API key's limit of stats requests per minute",
  share: "this share link's limit of stats requests per minute",
};

function limitKey(caller: Caller): string {
  switch (caller.kind) {
    case "user":
      return `user:${caller.user.id}`;
    case "key":
      return `key:${caller.keyId}`;
    case "share":
      return `share:${caller.site.shareTokenHash ?? caller.site.id}`;
  }
}
