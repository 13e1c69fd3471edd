import type { ClickHouseClient } from "@clickhouse/client-web";

/**
 * Every ClickHouse table that holds rows of one site (it has a `site_id` column). Deleting a site, or all of its
 * data, empties each of them; a new per-site table is added here (site-data.test.ts checks the migrations).
 */
export const SITE_TABLES = ["events", "sessions", "pages", "dropped_hits"] as const;

/** Lightweight deletes: rows vanish from queries at once, and from disk at the next merge. */
export async function deleteSiteData(client: ClickHouseClient, siteId: string): Promise<void> {
  for (const table of SITE_TABLES) {
    await client.command({ query: `DELETE FROM ${table} WHERE site_id = {site:String}`, query_params: { site: siteId } });
  }
}
