import { createLogger, errorFields } from "@pixel/lib/log/log";
import { checkAlerts } from "./alerts/check";
import { runRetentionJobs } from "./data/retention";
import { sendDueReports } from "./email/reports";
import { ROLLUP_CRON, rollDueDays } from "./stats/rollups/job";
import type { CronLog } from "./email/subscribers";
import type { ApiEnv } from "./env";

/**
 * The Cron Triggers (wrangler.toml): every 5 minutes traffic alerts, any e-mail report whose time has come and unfinished
 * retention jobs; hourly the due daily rollups.
 */
export async function scheduled(controller: Pick<ScheduledController, "scheduledTime" | "cron">, env: ApiEnv): Promise<void> {
  const log = createLogger("api");
  const failed: CronLog = (message, fields) => log.error(message, { cron: controller.cron, ...fields });
  const jobs = controller.cron === ROLLUP_CRON ? [rollDueDays] : [checkAlerts, sendDueReports, runRetentionJobs];
  for (const job of jobs) {
    try {
      await job(env, controller.scheduledTime, failed);
    } catch (error) {
      log.error(`the ${job.name} job failed`, { cron: controller.cron, ...errorFields(error) });
    }
  }
}
