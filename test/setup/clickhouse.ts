import type { ClickHouseClient } from "@clickhouse/client-web";
import { type ClickHouseConfig, connectClickHouse } from "@pixel/lib/clickhouse/client";

/** What the test config gives every Worker project besides the Worker's own (documented) ClickHouse user. */
interface TestClickHouseEnv {
  CLICKHOUSE_URL: string;
  CLICKHOUSE_DATABASE: string;
  TEST_CLICKHOUSE_USER: string;
  TEST_CLICKHOUSE_PASSWORD: string;
}

/** Tests seed and inspect ClickHouse as the local admin, never through a Worker's least-privileged user. */
export function adminConfig(workerEnv: object, database?: string): ClickHouseConfig {
  const env = workerEnv as TestClickHouseEnv;
  return { url: env.CLICKHOUSE_URL, database: database ?? env.CLICKHOUSE_DATABASE, username: env.TEST_CLICKHOUSE_USER, password: env.TEST_CLICKHOUSE_PASSWORD };
}

export const adminClickHouse = (workerEnv: object, database?: string): ClickHouseClient => connectClickHouse(adminConfig(workerEnv, database));
