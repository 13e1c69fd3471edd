import type { ClickHouseClient } from "@clickhouse/client-web";
import { clickHouseTime, insertJsonRows } from "./client";

/**
 * Every ClickHouse table that holds rows of one site (it has a `site_id` column). Deleting a site, or all of its
 * data, empties each of them; a new per-site table is added here (site-data.test.ts checks the migrations).
 */
export const SITE_TABLES = ["events", "sessions", "pages", "page_visits", "dropped_hits", "hour_writes", "day_rolls", "day_crossers", "day_pieces", "day_visits"] as const;
export type SiteTable = (typeof SITE_TABLES)[number];

/** When each table's row is past a retention of N days: its time as its TTL counts it (migrations/0001-0005, 0013, 0014). */
const RETAINED_FROM: Record<SiteTable, string> = {
  events: "timestamp",
  sessions: "hour + toIntervalHour(1)",
  pages: "hour + toIntervalHour(1)",
  page_visits: "hour + toIntervalHour(1)",
  dropped_hits: "toDateTime(day)",
  hour_writes: "hour + toIntervalHour(1)",
  day_rolls: "toDateTime(day) + toIntervalDay(1)",
  day_crossers: "toDateTime(day) + toIntervalDay(1)",
  day_pieces: "toDateTime(day) + toIntervalDay(1)",
  day_visits: "toDateTime(day) + toIntervalDay(1)",
};

/** The tables whose rows carry their site's `retention_days`, which their TTL goes by. */
const STAMPED: ReadonlySet<SiteTable> = new Set(["events", "sessions", "pages", "page_visits", "day_rolls", "day_crossers", "day_pieces", "day_visits"]);

/** The tombstones (migrations/0007_forgotten_sites.sql): they outlive the data they stand for. */
export const FORGOTTEN_SITES = "forgotten_sites";

/** A deleted site's tombstone: none of its hits is stored again (DateTime64(3) ends in 2299). */
export const FOREVER = Date.UTC(2299, 11, 31);

const forget = (client: ClickHouseClient, siteId: string, until: number) =>
  insertJsonRows(client, FORGOTTEN_SITES, [{ site_id: siteId, until: clickHouseTime(until) }]);

/**
 * Lightweight deletes: rows vanish from queries at once, and from disk at the next merge. The tombstone comes
 * first, so hits stamped up to now that are still on their way to the flusher, or replayed from R2, cannot bring
 * the rows back; newer hits count.
 */
export async function deleteSiteData(client: ClickHouseClient, siteId: string): Promise<void> {
  await forget(client, siteId, Date.now());
  for (const table of SITE_TABLES) {
    await client.command({ query: `DELETE FROM ${table} WHERE site_id = {site:String}`, query_params: { site: siteId } });
  }
}

/**
 * After a site is deleted (its data first): none of its hits is stored again, also of those the collectors take
 * while their cached copy of the site lives on. Written last, so a deletion that fails halfway leaves a working site.
 */
export const forgetSite = (client: ClickHouseClient, siteId: string) => forget(client, siteId, FOREVER);

/**
 * Applies a site's new retention to the rows one table already holds: they are stamped with it, so their TTL
 * follows it from now on (longer or shorter), and those already past it are deleted at once (a lightweight delete).
 */
export async function applyRetention(client: ClickHouseClient, table: SiteTable, siteId: string, retentionDays: number, now: number) {
  const query_params = { site: siteId, days: retentionDays, cutoff: clickHouseTime(now - retentionDays * 86_400_000) };
  if (STAMPED.has(table)) {
    await client.command({
      query: `ALTER TABLE ${table} UPDATE retention_days = {days:UInt16} WHERE site_id = {site:String} AND retention_days != {days:UInt16}`,
      query_params,
      clickhouse_settings: { mutations_sync: "1" },
    });
  }
  if (retentionDays === 0) return;
  await client.command({
    query: `DELETE FROM ${table} WHERE site_id = {site:String} AND ${RETAINED_FROM[table]} < {cutoff:DateTime64(3, 'UTC')}`,
    query_params,
  });
}
