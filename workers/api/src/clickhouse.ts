import type { ClickHouseClient } from "@clickhouse/client-web";
import { type ClickHouseEnv, clickHouseConfigFromEnv, connectClickHouse, type QueryLimits, withClickHouse } from "@pixel/lib/clickhouse/client";

/**
 * ClickHouse's limits on every query the api sends, by kind. Each stays within the bounds of its user's settings
 * profile in deploy/clickhouse/users.sql (clickhouse.test.ts), or ClickHouse refuses the query.
 */
export const QUERY_LIMITS = {
  /** Stats queries, reports and the schema browser, as the reader. */
  stats: { max_execution_time: 20, max_memory_usage: 2_000_000_000, max_rows_to_read: 1_000_000_000, max_bytes_to_read: 100_000_000_000 },
  /** Admins' hand-written SQL widgets: tighter. */
  sqlEditor: { max_execution_time: 10, max_memory_usage: 1_000_000_000, max_rows_to_read: 100_000_000, max_bytes_to_read: 10_000_000_000 },
  /** Exports read all of a site's rows. */
  export: { max_execution_time: 300, max_memory_usage: 2_000_000_000, max_rows_to_read: 2_000_000_000, max_bytes_to_read: 200_000_000_000 },
  /** Deleting and importing a site's data, as the data writer. */
  dataWrite: { max_execution_time: 300, max_memory_usage: 2_000_000_000 },
} as const satisfies Record<string, QueryLimits>;

/** The api's ClickHouse client: its own (reader) user, with the limits of this kind of query. */
export function apiClickHouse(env: ClickHouseEnv, limits: QueryLimits = QUERY_LIMITS.stats): ClickHouseClient {
  return connectClickHouse({ ...clickHouseConfigFromEnv(env), limits });
}

/** Runs `use` with the api's reader client, closed afterwards. */
export function withReader<T>(env: ClickHouseEnv, use: (client: ClickHouseClient) => Promise<T>, limits: QueryLimits = QUERY_LIMITS.stats): Promise<T> {
  return withClickHouse({ ...clickHouseConfigFromEnv(env), limits }, use);
}
