import { withRequestLog } from "@pixel/lib/log/http";
import { createLogger } from "@pixel/lib/log/log";
import { createAdmin } from "./admin";
import { alertDeadLetters } from "./alert";
import { consumeDeadLetters, consumeFinalDeadLetters, consumeHits } from "./consume";
import type { FlusherEnv } from "./env";
import { FORGET_CRON, removeForgottenKept } from "./forgotten";

export type { FlusherEnv } from "./env";
export { retryDelaySeconds } from "./consume";

const admin = createAdmin();

export default {
  fetch: withRequestLog<FlusherEnv>("flusher", admin.fetch),
  async queue(batch, env) {
    if (batch.queue === (env.DEAD_LETTER_QUEUE ?? "pixel-hits-dead")) await consumeDeadLetters(batch, env);
    else if (batch.queue === (env.FINAL_DEAD_LETTER_QUEUE ?? "pixel-hits-dead-final")) await consumeFinalDeadLetters(batch, env, createLogger("flusher"));
    else await consumeHits(batch, env, createLogger("flusher"));
  },
  /** Crons (wrangler.toml): alert while dead letters wait in R2; at half past, take deleted site data out of R2. */
  async scheduled(controller, env) {
    if (controller.cron === FORGET_CRON) await removeForgottenKept(env, createLogger("flusher"));
    else await alertDeadLetters(env, createLogger("flusher"));
  },
} satisfies ExportedHandler<FlusherEnv, unknown>;
