import type { ClickHouseEnv } from "@pixel/lib/clickhouse/client";
import type { QueueBody } from "@pixel/lib/events/message";

/**
 * The bindings and vars of wrangler.toml (worker-configuration.d.ts, from `npm run types`), typed closer where it
 * cannot say. KEPT keeps dead-lettered batches (`dead/`) and messages that can never be stored (`invalid/`).
 */
export interface FlusherEnv extends ClickHouseEnv, Omit<Cloudflare.Env, keyof ClickHouseEnv | "HITS" | "DEAD_LETTER_QUEUE" | "FINAL_DEAD_LETTER_QUEUE"> {
  /** The hits queue itself: replayed dead letters go back onto it. */
  HITS: Queue<QueueBody>;
  DEAD_LETTER_QUEUE?: string;
  /** The dead-letter queue's own dead-letter queue. */
  FINAL_DEAD_LETTER_QUEUE?: string;
  /** Bearer token for the admin routes; they answer 503 while it is unset. */
  PIXEL_ADMIN_TOKEN?: string;
  /** Where the hourly cron posts a JSON alert while dead letters wait for replay; unset, the alert is only logged. */
  PIXEL_ALERT_WEBHOOK_URL?: string;
}
