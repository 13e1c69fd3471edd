import { withRequestLog } from "../../../lib/log/http";
import { app } from "./app";
import { runRetentionJobs } from "./data/retention";
import type { ApiEnv } from "./env";

export default {
  fetch: withRequestLog<ApiEnv>("api", app.fetch),
  /** The cron (wrangler.toml): finish applying retention changes to stored rows that their request did not. */
  async scheduled(controller: ScheduledController, env: ApiEnv) {
    await runRetentionJobs(env, controller.scheduledTime);
  },
};
