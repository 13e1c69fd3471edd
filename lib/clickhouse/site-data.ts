import type { ClickHouseClient } from "@clickhouse/client-web";
import { clickHouseTime, insertJsonRows } from "./client";

/**
 * Every ClickHouse table that holds rows of one site (it has a `site_id` column). Deleting a site, or all of its
 * data, empties each of them; a new per-site table is added here (site-data.test.ts checks the migrations).
 */
export const SITE_TABLES = ["events", "sessions", "pages", "dropped_hits"] as const;

/** The tombstones (migrations/0007_forgotten_sites.sql): they outlive the data they stand for. */
export const FORGOTTEN_SITES = "forgotten_sites";

/** A deleted site's tombstone: none of its hits is stored again (DateTime64(3) ends in 2299). */
export const FOREVER = Date.UTC(2299, 11, 31);

/**
 * Lightweight deletes: rows vanish from queries at once, and from disk at the next merge. The tombstone comes
 * first, so hits still on their way to the flusher, or replayed from R2, cannot bring the rows back; `siteDeleted`
 * forgets the site's hits for good, else those stamped up to now.
 */
export async function deleteSiteData(client: ClickHouseClient, siteId: string, { siteDeleted = false } = {}): Promise<void> {
  await insertJsonRows(client, FORGOTTEN_SITES, [{ site_id: siteId, until: clickHouseTime(siteDeleted ? FOREVER : Date.now()) }]);
  for (const table of SITE_TABLES) {
    await client.command({ query: `DELETE FROM ${table} WHERE site_id = {site:String}`, query_params: { site: siteId } });
  }
}
