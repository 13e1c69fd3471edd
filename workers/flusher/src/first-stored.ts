import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { LIMITS } from "@pixel/lib/events/hit";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";

/**
 * How far apart two sendings of one hit can be stamped: pixel.js resends for 24 hours (LIMITS.maxAgeMs), and a hit
 * without a client time is stamped on each arrival. Beyond it a resend would be stored as a new event.
 */
const RESEND_WINDOW_MS = LIMITS.maxAgeMs + 3_600_000;

const identity = (row: Pick<EventRow, "site_id" | "name" | "event_id">) => `${row.site_id}\u0000${row.name}\u0000${row.event_id}`;

/**
 * Each row as its event was first stored. A resent hit can come with another time, visitor or session than the copy
 * already stored (it was stamped again on arrival); storing that second version would put the event under another
 * day in `events` (FINAL cannot merge across days) and into other hours and visits of `sessions` and `pages`
 * (whose sets cannot forget). Given the stored version instead, a resend is an exact copy, which every table
 * collapses. Within a batch the first row of an event id wins the same way.
 */
export async function asFirstStored(client: ClickHouseClient, rows: EventRow[]): Promise<EventRow[]> {
  if (!rows.length) return rows;
  const first = new Map<string, EventRow>();
  for (const row of rows) if (!first.has(identity(row))) first.set(identity(row), row);
  const times = rows.map((row) => row.timestamp);
  const ids = [...new Set(rows.map((row) => row.event_id))];
  const stored: EventRow[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    stored.push(...(await storedVersions(client, rows, ids.slice(i, i + IDS_PER_LOOKUP), Math.min(...times), Math.max(...times))));
  }
  for (const row of stored) if (first.has(identity(row))) first.set(identity(row), { ...row, timestamp: Number(row.timestamp) });
  // A copy per row: the caller tells its messages apart by their rows.
  return rows.map((row) => (first.get(identity(row)) === row ? row : { ...first.get(identity(row))! }));
}

/**
 * Event ids per lookup: they travel in the URL, which ClickHouse takes up to 1 MiB (`http_max_uri_size`), and a batch
 * of 100 packs can hold 5,000 hits with ids of up to 64 characters.
 */
const IDS_PER_LOOKUP = 1_000;

function storedVersions(client: ClickHouseClient, rows: EventRow[], ids: string[], from: number, to: number): Promise<EventRow[]> {
  return selectRows<EventRow>(
    client,
    // The filter sits in a subquery: in the outer WHERE, `timestamp` would be the milliseconds alias.
    `SELECT * REPLACE (toUnixTimestamp64Milli(timestamp) AS timestamp, toString(visitor_id) AS visitor_id,
        toString(session_id) AS session_id, toString(ip_hash) AS ip_hash, toUInt16(first_visit) AS first_visit,
        toUInt16(previous_visit) AS previous_visit)
     FROM (
       SELECT * FROM events
       WHERE site_id IN {sites:Array(String)} AND event_id IN {ids:Array(String)}
         AND timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND timestamp <= fromUnixTimestamp64Milli({to:Int64})
     )
     ORDER BY timestamp
     LIMIT 1 BY site_id, name, event_id`,
    { sites: [...new Set(rows.map((row) => row.site_id))], ids, from: from - RESEND_WINDOW_MS, to: to + RESEND_WINDOW_MS },
  );
}
