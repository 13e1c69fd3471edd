import { type ClickHouseClient, ClickHouseError } from "@clickhouse/client-web";
import { clickHouseConfigFromEnv, withClickHouse } from "@pixel/lib/clickhouse/client";
import { apiClickHouse, QUERY_LIMITS } from "../clickhouse";
import { MisconfiguredError } from "../auth/session";
import type { ApiEnv } from "../env";

/**
 * Deleting and importing a site's data, and applying a retention change, write to ClickHouse: they run as CLICKHOUSE_WRITE_USER when it is set,
 * since the api's own user is read-only in production (docs/deploy.md).
 */
export async function withWriter<T>(env: ApiEnv, use: (client: ClickHouseClient) => Promise<T>): Promise<T> {
  const config = clickHouseConfigFromEnv(env);
  const writer = {
    ...config,
    username: env.CLICKHOUSE_WRITE_USER || config.username,
    password: env.CLICKHOUSE_WRITE_USER ? (env.CLICKHOUSE_WRITE_PASSWORD ?? "") : config.password,
    limits: QUERY_LIMITS.dataWrite,
  };
  try {
    return await withClickHouse(writer, use);
  } catch (error) {
    if (error instanceof ClickHouseError && (error.type === "READONLY" || error.type === "ACCESS_DENIED")) {
      throw new MisconfiguredError(
        "ClickHouse refused the write: set CLICKHOUSE_WRITE_USER and CLICKHOUSE_WRITE_PASSWORD to a user that may insert, delete and update (docs/deploy.md)",
      );
    }
    throw error;
  }
}

/** Reads for exports: the api's read-only user, with time for large sites. */
export function reader(env: ApiEnv): ClickHouseClient {
  return apiClickHouse(env, QUERY_LIMITS.export);
}
