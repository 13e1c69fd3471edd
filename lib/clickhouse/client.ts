import { createClient, type ClickHouseClient, type ClickHouseSettings } from "@clickhouse/client-web";

/** How every Pixel component reaches ClickHouse: the local chDB server in dev and CI, ClickHouse Cloud in production. */
export interface ClickHouseConfig {
  url: string;
  username?: string;
  password?: string;
  database: string;
  /** ClickHouse's limits on each query; they must stay within the user's profile in deploy/clickhouse/users.sql. */
  limits?: QueryLimits;
  /** Milliseconds the client waits for an answer: 30 s, unless a local tool (the benchmarks' big inserts) needs longer. */
  requestTimeoutMs?: number;
}

export interface QueryLimits {
  /** Seconds a query may run before ClickHouse cancels it. */
  max_execution_time?: number;
  max_memory_usage?: number;
  max_rows_to_read?: number;
  max_bytes_to_read?: number;
}

export interface ClickHouseEnv {
  CLICKHOUSE_URL?: string;
  CLICKHOUSE_USER?: string;
  CLICKHOUSE_PASSWORD?: string;
  CLICKHOUSE_DATABASE?: string;
}

export const DEFAULT_DATABASE = "pixel";

export function clickHouseConfigFromEnv(env: ClickHouseEnv): ClickHouseConfig {
  if (!env.CLICKHOUSE_URL) {
    throw new Error("CLICKHOUSE_URL is not set: point it at your ClickHouse HTTP endpoint (see docs/deploy.md)");
  }
  return {
    url: env.CLICKHOUSE_URL,
    username: env.CLICKHOUSE_USER || "default",
    password: env.CLICKHOUSE_PASSWORD ?? "",
    database: env.CLICKHOUSE_DATABASE || DEFAULT_DATABASE,
  };
}

/** Settings fixed here so that row shapes never depend on the server's version or defaults. */
const SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_input_format: "best_effort",
};

export function connectClickHouse(config: ClickHouseConfig): ClickHouseClient {
  const { max_execution_time = 20, ...sizes } = config.limits ?? {};
  return createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    database: config.database,
    request_timeout: config.requestTimeoutMs ?? 30_000,
    clickhouse_settings: {
      ...SETTINGS,
      max_execution_time,
      ...Object.fromEntries(Object.entries(sizes).map(([name, bytesOrRows]) => [name, String(bytesOrRows)])),
    },
  });
}

/** Runs `use` with a client of its own, closed afterwards whatever happens: how every part opens ClickHouse. */
export async function withClickHouse<T>(config: ClickHouseConfig, use: (client: ClickHouseClient) => Promise<T>): Promise<T> {
  const client = connectClickHouse(config);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

export async function selectRows<T>(
  client: ClickHouseClient,
  sql: string,
  params: Record<string, unknown> = {},
  settings: ClickHouseSettings = {},
): Promise<T[]> {
  const result = await client.query({ query: sql, query_params: params, format: "JSONEachRow", clickhouse_settings: settings });
  return result.json<T>();
}

/** `2026-11-28 15:04:05.123`: unambiguous DateTime64(3) text in UTC. */
export const clickHouseTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/**
 * One INSERT of rows, written before it returns, never dropped as a duplicate: an import may write rows again
 * after deleting them, or with other attributes, and the table's ReplacingMergeTree key keeps the last version.
 * (A non-replicated table with a deduplication window ignores insert_deduplicate = 0; a fresh token is honoured.)
 */
export async function insertJsonRows(client: ClickHouseClient, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  await client.insert({
    table,
    values: rows,
    format: "JSONEachRow",
    clickhouse_settings: { insert_deduplicate: 0, insert_deduplication_token: crypto.randomUUID() },
  });
}
