import { Hono } from "hono";
import { selectRows } from "../../../../lib/clickhouse/client";
import { withReader } from "../clickhouse";
import { DROP_REASONS } from "../../../../lib/events/message";
import { addDays } from "../../../../lib/time";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { dropsRange } from "./range";
import { type DropRow, summarize } from "./summary";

/**
 * Hits the collector refused for a site, read FINAL so a redelivered drop message counts once. Unknown-site drops
 * have no site; those from the site's own domain or its subdomains (a host missing from its hostnames) count here.
 */
const DROPS_SQL = `
SELECT toString(dropped_hits.day) AS date, reason, detail, toUInt64(sum(hits)) AS hits
FROM dropped_hits FINAL
WHERE day BETWEEN {from:Date} AND {to:Date}
  AND (site_id = {site:String}
       OR (site_id = '' AND reason = 'unknown_site' AND (hostname = {domain:String} OR endsWith(hostname, {subdomain:String}))))
GROUP BY date, reason, detail
ORDER BY date, reason, detail`;

/** Under /sites/:siteId/drops, for site viewers: dropped hits per reason and per UTC day. */
export const dropRoutes = new Hono<ApiContext>().use(requireSiteRole("viewer")).get("/", async (c) => {
  const range = dropsRange(c.req.query("from"), c.req.query("to"));
  if ("error" in range) return c.json({ error: range.error }, 400);
  const site = c.var.site;
  const params = { from: range.from, to: range.to, site: site.id, domain: site.domain, subdomain: `.${site.domain}` };
  const rows = await withReader(c.env, (client) => selectRows<Omit<DropRow, "day"> & { date: string }>(client, DROPS_SQL, params));
  return c.json(summarize(rows.map(({ date, ...row }) => ({ ...row, day: date, hits: Number(row.hits) })), range, DROP_REASONS, addDays));
});
