import { withRequestLog } from "../../../lib/log/http";
import { createLogger } from "../../../lib/log/log";
import { createAdmin } from "./admin";
import { alertDeadLetters } from "./alert";
import { consumeDeadLetters, consumeFinalDeadLetters, consumeHits } from "./consume";
import type { FlusherEnv } from "./env";

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
  /** Cron: alert while dead letters wait in R2. */
  async scheduled(_controller, env) {
    await alertDeadLetters(env, createLogger("flusher"));
  },
} satisfies ExportedHandler<FlusherEnv, unknown>;
