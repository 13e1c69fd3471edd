import { createLogger, errorFields } from "@pixel/lib/log/log";
import { checkAlerts } from "./alerts/check";
import { runRetentionJobs } from "./data/retention";
import { sendDueReports } from "./email/reports";
import { rollDueDays } from "./stats/rollups/job";
import type { CronLog } from "./email/subscribers";
import type { ApiEnv } from "./env";

/** The Cron Trigger (wrangler.toml): traffic alerts every run, any e-mail report whose time has come, unfinished retention jobs, due daily rollups. */
export async function scheduled(controller: Pick<ScheduledController, "scheduledTime" | "cron">, env: ApiEnv): Promise<void> {
  const log = createLogger("api");
  const failed: CronLog = (message, fields) => log.error(message, { cron: controller.cron, ...fields });
  for (const job of [checkAlerts, sendDueReports, runRetentionJobs, rollDueDays]) {
    try {
      await job(env, controller.scheduledTime, failed);
    } catch (error) {
      log.error(`the ${job.name} job failed`, { cron: controller.cron, ...errorFields(error) });
    }
  }
}
