import { withRequestLog } from "@pixel/lib/log/http";
import { createLogger } from "@pixel/lib/log/log";
import { pathOf } from "@pixel/lib/http/path";
import type { CollectorEnv } from "./env";
import { createCollector, routesFrom, type Collector } from "./app";
import { saltStore } from "./salts";

export { VisitorSalts } from "./salts";
export { VisitorBridge } from "./bridge";
export { DeviceLinks } from "./devices";

let collector: { key: string; app: Collector } | undefined;

/**
 * Taken hits (a POST answered 204, a pixel answered 200: stored, or counted as dropped) get no access line: on the hit path, the line cost
 * more CPU than everything else the collector does besides the queue send (docs/benchmarks.md). Workers Logs'
 * invocation records still list each request; refused hits, failures and every other route keep their line.
 */
const takenHit = (request: Request, status: number) =>
  (status === 204 && request.method === "POST") || (status === 200 && request.method === "GET" && pathOf(request.url).endsWith(".gif"));

export default {
  fetch: withRequestLog<CollectorEnv>("collector", (request, env, ctx) => {
    const key = `${env.PIXEL_BASE_PATH}\n${env.PIXEL_SCRIPT_NAME}\n${env.PIXEL_ENDPOINT}`;
    if (collector?.key !== key) collector = { key, app: createCollector(routesFrom(env)) };
    return collector.app.fetch(request, env, ctx!);
  }, takenHit),
  /** Cron: today's salt exists and salts past 48 hours are deleted, even when no hit arrives to do it. */
  async scheduled(controller, env) {
    const days = await saltStore(env.SALTS).housekeep(controller.scheduledTime);
    createLogger("collector").info("salt housekeeping", { cron: controller.cron, salt_days: days });
  },
} satisfies ExportedHandler<CollectorEnv>;
