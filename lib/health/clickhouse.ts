import { clickHouseConfigFromEnv, connectClickHouse, type ClickHouseEnv } from "../clickhouse/client";
import type { Check } from "./health";

/** ClickHouse answers `SELECT 1` with the Worker's own user and database (kept apart from health.ts so the collector does not bundle the client). */
export function clickHouseAnswers(env: ClickHouseEnv): Check {
  return async (signal) => {
    const client = connectClickHouse(clickHouseConfigFromEnv(env));
    try {
      await (await client.query({ query: "SELECT 1", format: "JSONEachRow", abort_signal: signal })).json();
    } finally {
      await client.close();
    }
  };
}
