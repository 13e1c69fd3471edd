import type { ClickHouseEnv } from "@pixel/lib/clickhouse/client";
import type { Membership, Site, User } from "@pixel/lib/d1/schema";

/** The bindings and vars of wrangler.toml (worker-configuration.d.ts, from `npm run types`), and the secrets it cannot know. */
export interface ApiEnv extends ClickHouseEnv, Omit<Cloudflare.Env, keyof ClickHouseEnv | "STATS_LIMIT" | "SHARE_LIMIT" | "EMAIL"> {
  /** Keys the stored hashes of session tokens and the login limiter's; at least 32 characters. */
  PIXEL_SESSION_SECRET?: string;
  /** Set when the dashboard is served from another origin than the api; see cors/dashboard-origin.ts. */
  PIXEL_DASHBOARD_ORIGIN?: string;
  /** A ClickHouse user that may insert, delete and update, for importing and deleting site data and retention changes; unset, the api's user is used. */
  CLICKHOUSE_WRITE_USER?: string;
  CLICKHOUSE_WRITE_PASSWORD?: string;
  /** Stats requests per minute of each user and API key, and of each share link (wrangler.toml `[[ratelimits]]`). */
  STATS_LIMIT?: RateLimit;
  SHARE_LIMIT?: RateLimit;
  /** E-mail (docs/deploy.md): the `send_email` binding, or PIXEL_EMAIL_PROVIDER (resend, postmark) with PIXEL_EMAIL_API_KEY. */
  EMAIL?: SendEmail;
  /** The sender, `pixel@example.com` or `Pixel <pixel@example.com>`, on a domain set up for sending. */
  PIXEL_EMAIL_FROM?: string;
  PIXEL_EMAIL_PROVIDER?: string;
  PIXEL_EMAIL_API_KEY?: string;
  /** The dashboard's public origin, for links in e-mails, e.g. `https://pixel.example.com`. */
  PIXEL_DASHBOARD_URL?: string;
}

/** Who is asking for stats: a signed-in user, an API key acting for its owner, or a site's public share link. */
export type Caller =
  | { kind: "user"; user: User }
  | { kind: "key"; keyId: string; user: User; siteIds: string[] }
  | { kind: "share"; site: Site };

export type SiteRole = Membership["role"];

export type ApiContext = {
  Bindings: ApiEnv;
  Variables: { user: User; sessionId: string; caller: Caller; site: Site; siteRole: SiteRole };
};
