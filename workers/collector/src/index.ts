import { withRequestLog } from "../../../lib/log/http";
import { createLogger } from "../../../lib/log/log";
import type { CollectorEnv } from "./env";
import { createCollector, routesFrom } from "./app";
import { saltStore } from "./salts";

export { VisitorSalts } from "./salts";
export { VisitorBridge } from "./bridge";
export { DeviceLinks } from "./devices";

let collector: { key: string; app: ReturnType<typeof createCollector> } | undefined;

export default {
  fetch: withRequestLog<CollectorEnv>("collector", (request, env, ctx) => {
    const routes = routesFrom(env);
    const key = JSON.stringify(routes);
    if (collector?.key !== key) collector = { key, app: createCollector(routes) };
    return collector.app.fetch(request, env, ctx);
  }),
  /** Cron: today's salt exists and salts past 48 hours are deleted, even when no hit arrives to do it. */
  async scheduled(controller, env) {
    const days = await saltStore(env.SALTS).housekeep(controller.scheduledTime);
    createLogger("collector").info("salt housekeeping", { cron: controller.cron, salt_days: days });
  },
} satisfies ExportedHandler<CollectorEnv>;
