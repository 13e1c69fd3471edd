import { errorFields } from "@pixel/lib/log/log";
import { MisconfiguredError } from "../../auth/session";
import { withWriter } from "../../data/clickhouse";
import type { CronLog } from "../../email/subscribers";
import type { ApiEnv } from "../../env";
import { dueDays, rollDay } from "./roll";

/** Rolling runs on a cron of its own (wrangler.toml), hourly: a day is due only once the second day after it is over. */
export const ROLLUP_CRON = "7 * * * *";

/**
 * The cron's rolling: each due site day, as the data writer (the api's own user only reads). A day that fails is
 * logged and left due, so the next run tries it again; the overview reads it raw meanwhile.
 */
export async function rollDueDays(env: ApiEnv, now: number, failed: CronLog): Promise<void> {
  await withWriter(env, async (client) => {
    for (const { site_id, day } of await dueDays(client, now)) {
      try {
        await rollDay(client, site_id, day);
      } catch (error) {
        // No user may insert: every day would fail alike, and the message says what to set.
        if (error instanceof MisconfiguredError) throw error;
        failed(`rolling up day ${day} of site ${site_id} failed`, errorFields(error));
      }
    }
  });
}
