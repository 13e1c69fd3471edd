import type { ClickHouseClient } from "@clickhouse/client-web";

const HOUR_MS = 3_600_000;

/** The columns of the migration's view (0005_pages.sql), which derived-tables.test.ts holds equal to them. */
export const PAGES_COLUMNS_SQL = `site_id, toStartOfHour(timestamp) AS hour, pathname,
  groupUniqArray(visitor_id) AS visitor_ids,
  groupUniqArrayIf(sipHash64(name, event_id), name = 'pageview') AS pageview_ids,
  groupUniqArrayIf(sipHash64(name, event_id), name != 'engagement') AS event_ids,
  max(retention_days) AS retention_days`;

/**
 * The pages table (migrations/0005_pages.sql) sums events as they are inserted and never sees them change or go: after
 * code rewrites or deletes events, the hours they fall in are filled again from `events FINAL`. `timestamps` (ms) are
 * those of the events before and after the change.
 */
export async function rebuildPages(client: ClickHouseClient, siteId: string, timestamps: number[]): Promise<void> {
  const hours = [...new Set(timestamps.map((at) => Math.floor(at / HOUR_MS) * 3600))].sort((a, b) => a - b);
  if (!hours.length) return;
  const params = { site: siteId, hours, first: hours[0], last: hours.at(-1) };
  await client.command({
    query: "DELETE FROM pages WHERE site_id = {site:String} AND toUnixTimestamp(hour) IN {hours:Array(UInt32)}",
    query_params: params,
  });
  // The SELECT of the migration's view, over the latest version of each event.
  await client.command({
    query: `INSERT INTO pages
      SELECT ${PAGES_COLUMNS_SQL}
      FROM events FINAL
      WHERE site_id = {site:String}
        AND timestamp >= toDateTime64({first:UInt32}, 3, 'UTC') AND timestamp < toDateTime64({last:UInt32} + 3600, 3, 'UTC')
        AND toUnixTimestamp(toStartOfHour(timestamp)) IN {hours:Array(UInt32)}
      GROUP BY site_id, hour, pathname`,
    query_params: params,
  });
}
