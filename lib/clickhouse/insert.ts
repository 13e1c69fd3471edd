import type { ClickHouseClient } from "@clickhouse/client-web";

export interface Table<T> {
  name: string;
  idOf: (row: T) => string;
  toColumns: (row: T) => Record<string, unknown>;
}

/**
 * Async inserts let ClickHouse Cloud merge many small batches into few parts; waiting for them keeps
 * "acknowledged" meaning "written". The token, derived from the rows' ids, drops a whole batch that is
 * delivered again, also from the tables the materialized views feed (sessions, pages: the default for that
 * changed between ClickHouse versions, so it is set); single resent rows collapse under the tables' keys.
 */
export async function insertRows<T>(client: ClickHouseClient, table: Table<T>, rows: T[]): Promise<void> {
  if (!rows.length) return;
  const ids = rows.map(table.idOf).sort();
  await client.insert({
    table: table.name,
    values: rows.map(table.toColumns),
    format: "JSONEachRow",
    clickhouse_settings: {
      async_insert: 1,
      wait_for_async_insert: 1,
      async_insert_deduplicate: 1,
      deduplicate_blocks_in_dependent_materialized_views: 1,
      insert_deduplication_token: await sha256Hex(`${table.name}:${ids.join(",")}`),
    },
  });
}

/** ClickHouse codes that blame the data sent, not the server: retrying the same rows cannot help. */
const DATA_ERROR_CODES = new Set([
  "6", "26", "27", "38", "41", "53", "69", "70", "72", "117", "131", "321", "349", "407", "467", "691",
]);

export const isDataError = (error: unknown) =>
  typeof error === "object" && error !== null && DATA_ERROR_CODES.has(String((error as { code?: unknown }).code));

export interface Rejected<T> {
  row: T;
  error: string;
}

/**
 * Inserts rows; when ClickHouse refuses the data, halves the batch until the rows it refuses are alone,
 * so one bad row never holds back the others. Errors that are not about the data (server down,
 * overloaded) are thrown for the queue to retry.
 */
export async function insertIsolating<T>(client: ClickHouseClient, table: Table<T>, rows: T[]): Promise<Rejected<T>[]> {
  try {
    await insertRows(client, table, rows);
    return [];
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (rows.length === 1) return [{ row: rows[0]!, error: String(error).slice(0, 1000) }];
    const middle = Math.ceil(rows.length / 2);
    const first = await insertIsolating(client, table, rows.slice(0, middle));
    return [...first, ...(await insertIsolating(client, table, rows.slice(middle)))];
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
