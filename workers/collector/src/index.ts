import type { CollectorEnv } from "./env";
import { createCollector, routesFrom } from "./app";

export { VisitorSalts } from "./salts";
export { VisitorBridge } from "./bridge";
export { DeviceLinks } from "./devices";

let collector: { key: string; app: ReturnType<typeof createCollector> } | undefined;

export default {
  fetch(request, env, ctx) {
    const routes = routesFrom(env);
    const key = JSON.stringify(routes);
    if (collector?.key !== key) collector = { key, app: createCollector(routes) };
    return collector.app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<CollectorEnv>;
