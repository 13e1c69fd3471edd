import type { ClickHouseClient } from "@clickhouse/client-web";
import type { Site } from "@pixel/lib/d1/schema";
import { normalizeQuery, type QueryAnswer, QueryBody } from "@pixel/lib/stats/query";
import { runQuery } from "../stats/run";
import { parseWith } from "../validate";

/** A stats query on the site as the api's /v2/query would run it, so reports and alerts count what the dashboard shows. */
export async function askStats(client: ClickHouseClient, site: Site, input: Record<string, unknown>, now = new Date()): Promise<QueryAnswer> {
  const parsed = parseWith(QueryBody, { site_id: site.id, ...input });
  if ("error" in parsed) throw new Error(`stats query for an e-mail: ${parsed.error}`);
  return runQuery(client, normalizeQuery(parsed.output, site, now), { timezone: site.timezone, goals: [] });
}
