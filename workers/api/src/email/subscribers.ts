import type { ClickHouseClient } from "@clickhouse/client-web";
import type { Site, User } from "@pixel/lib/d1/schema";
import { errorFields } from "@pixel/lib/log/log";
import { withReader } from "../clickhouse";
import type { ApiEnv } from "../env";
import { siteAccess } from "../sites/access";

export type CronLog = (message: string, fields: object) => void;

/**
 * Runs `handle` for each subscription (a report or an alert) whose subscriber may still read the site, with one
 * ClickHouse client for the whole run. A failure is logged, and the run goes on to the next subscription.
 */
export async function forEachSubscriber<T extends { site: Site; user: User }>(
  env: ApiEnv,
  subscriptions: T[],
  failure: string,
  log: CronLog,
  handle: (client: ClickHouseClient, subscription: T) => Promise<void>,
) {
  if (!subscriptions.length) return;
  await withReader(env, async (client) => {
    for (const subscription of subscriptions) {
      try {
        if (await siteAccess(env.DB, subscription.user, subscription.site.id)) await handle(client, subscription);
      } catch (error) {
        log(failure, { siteId: subscription.site.id, ...errorFields(error) });
      }
    }
  });
}
