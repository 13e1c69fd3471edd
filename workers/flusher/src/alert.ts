import type { Logger } from "@pixel/lib/log/log";
import { errorFields } from "@pixel/lib/log/log";
import type { FlusherEnv } from "./env";
import { countKept } from "./kept";

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The cron's dead-letter alert: batches kept under `dead/` have not been replayed yet. Logged at level
 * "error", and posted to PIXEL_ALERT_WEBHOOK_URL when it is set; a failing webhook is logged, never thrown.
 */
export async function alertDeadLetters(env: FlusherEnv, log: Logger): Promise<{ batches: number; messages: number }> {
  const dead = await countKept(env.KEPT, "dead");
  if (!dead.batches) {
    log.info("no dead letters waiting");
    return dead;
  }
  const text = `Pixel: ${dead.messages} dead-lettered hits in ${dead.batches} batches wait in R2; replay them once ClickHouse is healthy (npm run replay-dead-letters).`;
  log.error("dead letters waiting for replay", { dead_batches: dead.batches, dead_messages: dead.messages });
  if (env.PIXEL_ALERT_WEBHOOK_URL) await postAlert(env.PIXEL_ALERT_WEBHOOK_URL, { text, source: "pixel-flusher", dead_batches: dead.batches, dead_messages: dead.messages }, log);
  return dead;
}

/** The webhook URL is a secret (it often carries a token): it is never logged. */
async function postAlert(url: string, payload: Record<string, unknown>, log: Logger) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) log.error("alert webhook refused the alert", { status: response.status });
  } catch (error) {
    log.error("alert webhook unreachable", errorFields(error));
  }
}
