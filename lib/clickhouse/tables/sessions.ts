import type { ClickHouseClient } from "@clickhouse/client-web";
import type { EventRow } from "./events";

/**
 * The sessions table (migration 0004) sums events as they are inserted and never sees them change, so visits whose
 * events are rewritten are dropped from it first; writing all their events again rebuilds them through the view.
 */
export async function forgetSessions(client: ClickHouseClient, siteId: string, rows: Pick<EventRow, "session_id">[]): Promise<void> {
  const sessions = [...new Set(rows.map((row) => String(row.session_id)))];
  if (!sessions.length) return;
  await client.command({
    query: "DELETE FROM sessions WHERE site_id = {site:String} AND has({sessions:Array(String)}, toString(session_id))",
    query_params: { site: siteId, sessions },
  });
}

