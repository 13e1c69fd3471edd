import type { ClickHouseClient } from "@clickhouse/client-web";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { FORGOTTEN_SITES } from "@pixel/lib/clickhouse/site-data";
import type { Logger } from "@pixel/lib/log/log";
import type { FlusherEnv } from "./env";
import { removeKept } from "./kept";

/** Until when (ms) each site's hits are forgotten, for the sites whose data was deleted (all of them without `siteIds`). */
export type Forgotten = Map<string, number>;

export async function forgottenSites(client: ClickHouseClient, siteIds?: string[]): Promise<Forgotten> {
  if (siteIds && !siteIds.length) return new Map();
  const rows = await selectRows<{ site_id: string; until: string }>(
    client,
    `SELECT site_id, toString(toUnixTimestamp64Milli(max(until))) AS until FROM ${FORGOTTEN_SITES}
     ${siteIds ? "WHERE site_id IN {sites:Array(String)}" : ""} GROUP BY site_id`,
    { sites: siteIds ?? [] },
  );
  return new Map(rows.map((row) => [row.site_id, Number(row.until)]));
}

/** A hit without a readable time (a message kept as invalid) is forgotten with any tombstone of its site. */
export const isForgotten = (forgotten: Forgotten, hit: { site_id: string; timestamp?: number }) =>
  forgotten.has(hit.site_id) && (hit.timestamp ?? 0) <= forgotten.get(hit.site_id)!;

/** The cron (wrangler.toml) that takes deleted sites' hits out of R2; the other one alerts about dead letters. */
export const FORGET_CRON = "45 * * * *";

/** The cron's share of a deletion: the deleted sites' hits leave the batches kept in R2 (within the hour). */
export async function removeForgottenKept(env: FlusherEnv, log: Logger): Promise<number> {
  const client = connectClickHouse(clickHouseConfigFromEnv(env));
  try {
    const forgotten = await forgottenSites(client);
    if (!forgotten.size) return 0;
    const removed = await removeKept(env.KEPT, (body) => {
      const hit = siteHitOf(body);
      return hit !== undefined && isForgotten(forgotten, hit);
    });
    if (removed) log.info("hits of deleted site data removed from R2", { removed });
    return removed;
  } finally {
    await client.close();
  }
}

/** The site and time of a kept message's body, as far as it can be read: kept invalid messages may be anything. */
function siteHitOf(body: unknown): { site_id: string; timestamp?: number } | undefined {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const { site_id, timestamp } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  return typeof site_id === "string" ? { site_id, timestamp: typeof timestamp === "number" ? timestamp : undefined } : undefined;
}
