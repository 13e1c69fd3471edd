import type { ClickHouseClient } from "@clickhouse/client-web";

const HOUR_MS = 3_600_000;

const PAGE_SUMS_SQL = `groupUniqArray(visitor_id) AS visitor_ids,
  groupUniqArrayIf(sipHash64(name, event_id), name = 'pageview') AS pageview_ids,
  groupUniqArrayIf(sipHash64(name, event_id), name != 'engagement') AS event_ids,
  max(retention_days) AS retention_days`;

/** The columns of the migration's view (0005_pages.sql), which derived-tables.test.ts holds equal to them. */
export const PAGES_COLUMNS_SQL = `site_id, toStartOfHour(timestamp) AS hour, pathname,
  ${PAGE_SUMS_SQL}`;

/** The same sums per visit (0014_page_visits.sql), likewise. */
export const PAGE_VISITS_COLUMNS_SQL = `site_id, pathname, toStartOfHour(timestamp) AS hour, session_id,
  ${PAGE_SUMS_SQL}`;

/** The tables that sum events per page and hour, each with its view's columns and grouping. */
const PAGE_TABLES = [
  { table: "pages", columns: PAGES_COLUMNS_SQL, key: "site_id, hour, pathname" },
  { table: "page_visits", columns: PAGE_VISITS_COLUMNS_SQL, key: "site_id, pathname, hour, session_id" },
] as const;

/**
 * The page tables (migrations/0005_pages.sql, 0014_page_visits.sql) sum events as they are inserted and never see them
 * change or go: after code rewrites or deletes events, the hours they fall in are filled again from `events FINAL`.
 * `timestamps` (ms) are those of the events before and after the change.
 */
export async function rebuildPages(client: ClickHouseClient, siteId: string, timestamps: number[]): Promise<void> {
  const hours = [...new Set(timestamps.map((at) => Math.floor(at / HOUR_MS) * 3600))].sort((a, b) => a - b);
  if (!hours.length) return;
  const params = { site: siteId, hours, first: hours[0], last: hours.at(-1) };
  for (const { table, columns, key } of PAGE_TABLES) {
    await client.command({
      query: `DELETE FROM ${table} WHERE site_id = {site:String} AND toUnixTimestamp(hour) IN {hours:Array(UInt32)}`,
      query_params: params,
    });
    // The SELECT of the migration's view, over the latest version of each event.
    await client.command({
      query: `INSERT INTO ${table}
        SELECT ${columns}
        FROM events FINAL
        WHERE site_id = {site:String}
          AND timestamp >= toDateTime64({first:UInt32}, 3, 'UTC') AND timestamp < toDateTime64({last:UInt32} + 3600, 3, 'UTC')
          AND toUnixTimestamp(toStartOfHour(timestamp)) IN {hours:Array(UInt32)}
        GROUP BY ${key}`,
      query_params: params,
    });
  }
}
