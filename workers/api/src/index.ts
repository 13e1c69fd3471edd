import { withRequestLog } from "../../../lib/log/http";
import { app } from "./app";
import type { ApiEnv } from "./env";

export default { fetch: withRequestLog<ApiEnv>("api", app.fetch) };
