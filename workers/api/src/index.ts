import { withRequestLog } from "@pixel/lib/log/http";
import { app } from "./app";
import { runRetentionJobs } from "./data/retention";
import type { ApiEnv } from "./env";
import { scheduled } from "./scheduled";

export default { fetch: withRequestLog<ApiEnv>("api", app.fetch), scheduled };
