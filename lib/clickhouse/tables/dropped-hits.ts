import type { ClickHouseClient } from "@clickhouse/client-web";
import type { DropMessage, DropReason } from "../../events/message";
import { clickHouseTime, selectRows } from "../client";
import type { Table } from "../insert";

/** The `dropped_hits` table (migration 0003): counts of hits not stored, per site, day, reason and detail. */
export const DROPPED_HITS: Table<DropMessage> = {
  name: "dropped_hits",
  idOf: (drop) => drop.drop_id,
  toColumns: ({ kind: _kind, ...drop }) => ({ ...drop, day: clickHouseTime(drop.timestamp).slice(0, 10), timestamp: clickHouseTime(drop.timestamp) }),
};

/**
 * Hits the collector refused for a site, read FINAL so a redelivered drop message counts once. Unknown-site drops
 * have no site; those from the site's own domain or its subdomains (a host missing from its hostnames) count here.
 */
const BY_DAY_SQL = `
SELECT toString(dropped_hits.day) AS date, reason, detail, toUInt64(sum(hits)) AS hits
FROM dropped_hits FINAL
WHERE day BETWEEN {from:Date} AND {to:Date}
  AND (site_id = {site:String}
       OR (site_id = '' AND reason = 'unknown_site' AND (hostname = {domain:String} OR endsWith(hostname, {subdomain:String}))))
GROUP BY date, reason, detail
ORDER BY date, reason, detail`;

/** A site's dropped hits per UTC day, reason and detail, for the days from `from` to `to` (YYYY-MM-DD). */
export async function droppedHitsByDay(client: ClickHouseClient, site: { id: string; domain: string }, days: { from: string; to: string }) {
  const params = { from: days.from, to: days.to, site: site.id, domain: site.domain, subdomain: `.${site.domain}` };
  const rows = await selectRows<{ date: string; reason: DropReason; detail: string; hits: string | number }>(client, BY_DAY_SQL, params);
  return rows.map(({ date, hits, ...row }) => ({ ...row, day: date, hits: Number(hits) }));
}
