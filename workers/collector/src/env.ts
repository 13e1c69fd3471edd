import type { QueueBody } from "@pixel/lib/events/message";

/** The bindings and vars of wrangler.toml (worker-configuration.d.ts, from `npm run types`), typed closer where it cannot say. */
export interface CollectorEnv extends Omit<Cloudflare.Env, "HITS" | "VISITOR_LIMIT" | "REFUSED_LIMIT" | "PIXEL_BASE_PATH" | "PIXEL_SCRIPT_NAME" | "PIXEL_ENDPOINT"> {
  /** The hits queue, or its shard 0 when `PIXEL_QUEUE_SHARDS` > 1 binds `HITS_1` … too (queue.ts, docs/ingestion.md). */
  HITS: Queue<QueueBody>;
  /** Hits per visitor and site per minute (wrangler.toml `[[ratelimits]]`); absent means no limit. */
  VISITOR_LIMIT?: RateLimit;
  /** Requests from one address of which nothing is stored, per minute (`[[ratelimits]]`); absent means no limit. */
  REFUSED_LIMIT?: RateLimit;
  PIXEL_BASE_PATH?: string;
  PIXEL_SCRIPT_NAME?: string;
  PIXEL_ENDPOINT?: string;
  /** Comma-separated IPs of server-side senders whose X-Forwarded-For names the visitor (Events API, docs/ingestion.md). */
  PIXEL_TRUSTED_SENDERS?: string;
}
