import { clickHouseAnswers } from "@pixel/lib/health/clickhouse";
import { checkHealth } from "@pixel/lib/health/health";
import type { FlusherEnv } from "./env";

/** What the flusher cannot store hits without: ClickHouse, and the R2 bucket that keeps what it sets aside. */
export const flusherHealth = (env: FlusherEnv) =>
  checkHealth({
    clickhouse: clickHouseAnswers(env),
    dead_letters: async () => {
      if (!env.KEPT) throw new Error("binding KEPT is missing");
      await env.KEPT.head("health-check");
    },
  });
