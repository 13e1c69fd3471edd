import { withRequestLog } from "../../../lib/log/http";
import { createLogger } from "../../../lib/log/log";
import type { CollectorEnv } from "./env";
import { createCollector, routesFrom, type Collector } from "./app";
import { saltStore } from "./salts";

export { VisitorSalts } from "./salts";
export { VisitorBridge } from "./bridge";
export { DeviceLinks } from "./devices";

let collector: { key: string; app: Collector } | undefined;

export default {
  fetch: withRequestLog<CollectorEnv>("collector", (request, env, ctx) => {
    const key = `${env.PIXEL_BASE_PATH}\n${env.PIXEL_SCRIPT_NAME}\n${env.PIXEL_ENDPOINT}`;
    if (collector?.key !== key) collector = { key, app: createCollector(routesFrom(env)) };
    return collector.app.fetch(request, env, ctx!);
  }),
  /** Cron: today's salt exists and salts past 48 hours are deleted, even when no hit arrives to do it. */
  async scheduled(controller, env) {
    const days = await saltStore(env.SALTS).housekeep(controller.scheduledTime);
    createLogger("collector").info("salt housekeeping", { cron: controller.cron, salt_days: days });
  },
} satisfies ExportedHandler<CollectorEnv>;
