import { clickHouseConfigFromEnv, connectClickHouse, type ClickHouseEnv } from "../../../lib/clickhouse/client";
import type { EventRow } from "../../../lib/events/row";
import { insertEvents } from "./insert";

export type FlusherEnv = ClickHouseEnv;

export const retryDelaySeconds = (attempts: number) => Math.min(2 ** attempts, 300);

export default {
  async fetch() {
    return Response.json({ error: "the flusher only consumes the hits queue" }, { status: 404 });
  },

  async queue(batch, env) {
    const client = connectClickHouse(clickHouseConfigFromEnv(env));
    try {
      await insertEvents(client, batch.messages.map((message) => message.body));
      batch.ackAll();
    } catch (error) {
      const attempts = Math.max(...batch.messages.map((message) => message.attempts));
      console.error(JSON.stringify({ level: "error", message: "ClickHouse insert failed; batch will be retried", attempts, error: String(error) }));
      batch.retryAll({ delaySeconds: retryDelaySeconds(attempts) });
    } finally {
      await client.close();
    }
  },
} satisfies ExportedHandler<FlusherEnv, EventRow>;
