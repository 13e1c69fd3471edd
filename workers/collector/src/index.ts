import type { CollectorEnv } from "./env";
import { createCollector, routesFrom, type Collector } from "./app";

export { VisitorSalts } from "./salts";
export { VisitorBridge } from "./bridge";
export { DeviceLinks } from "./devices";

let collector: { key: string; app: Collector } | undefined;

export default {
  fetch(request, env, ctx) {
    const key = `${env.PIXEL_BASE_PATH}\n${env.PIXEL_SCRIPT_NAME}\n${env.PIXEL_ENDPOINT}`;
    if (collector?.key !== key) collector = { key, app: createCollector(routesFrom(env)) };
    return collector.app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<CollectorEnv>;
