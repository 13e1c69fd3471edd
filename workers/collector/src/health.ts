import { bindingsBound, checkHealth, d1Answers } from "@pixel/lib/health/health";
import type { CollectorEnv } from "./env";
import { missingShardBindings } from "./queue";
import { saltStore } from "./salts";

/** What the collector cannot take hits without: the hits queue (every shard), D1 (sites and shields) and the salts store. */
export const collectorHealth = (env: CollectorEnv) =>
  checkHealth({
    queue: bindingsBound(missingShardBindings(env)),
    d1: d1Answers(env.DB),
    salts: async () => saltStore(env.SALTS).days(),
  });
