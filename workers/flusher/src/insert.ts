import type { ClickHouseClient } from "@clickhouse/client-web";
import type { EventRow } from "../../../lib/events/row";

/**
 * One INSERT per batch. The deduplication token is derived from the event ids, so a batch that is
 * delivered again after a timeout is dropped by ClickHouse itself; single resent events are collapsed
 * by the events table's ReplacingMergeTree key.
 */
export async function insertEvents(client: ClickHouseClient, rows: EventRow[]): Promise<number> {
  if (!rows.length) return 0;
  const ids = rows.map((row) => row.event_id).sort();
  await client.insert({
    table: "events",
    values: rows.map((row) => ({ ...row, timestamp: clickHouseTime(row.timestamp) })),
    format: "JSONEachRow",
    clickhouse_settings: { insert_deduplication_token: await sha256Hex(ids.join(",")) },
  });
  return rows.length;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `2026-11-28 15:04:05.123`: unambiguous DateTime64(3) text in UTC. */
const clickHouseTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
