import { createAdmin } from "./admin";
import { consumeDeadLetters, consumeHits } from "./consume";
import type { FlusherEnv } from "./env";

export type { FlusherEnv } from "./env";
export { retryDelaySeconds } from "./consume";

const admin = createAdmin();

export default {
  fetch(request, env, ctx) {
    return admin.fetch(request, env, ctx);
  },

  async queue(batch, env) {
    if (batch.queue === (env.DEAD_LETTER_QUEUE ?? "pixel-hits-dead")) await consumeDeadLetters(batch, env);
    else await consumeHits(batch, env);
  },
} satisfies ExportedHandler<FlusherEnv, unknown>;
