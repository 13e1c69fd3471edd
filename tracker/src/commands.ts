import { config, guard } from "./config";
import { requestPageview, track } from "./events";
import { scheduleFlush } from "./transport";
import { setUserId } from "./user";

export type Command = unknown[];

export const run = guard((command: Command) => {
  const [verb, a, b] = command;
  if (verb == "config") configure(a, b);
  else if (verb == "debug") configure("debug", a);
  else if (verb == "setUserId") setUserId(a);
  else if (verb == "track") a == "pageview" ? requestPageview(b) : track(a, b);
});

function configure(key: unknown, value: unknown): void {
  config[key as string] = value;
  if (key == "baseUrl") scheduleFlush();
}

/**
 * Order for replaying the queue from before the script loaded: settings first, so a `track` pushed
 * before `config baseUrl` is kept; then the page's one pageview; then everything else in push order.
 */
export const replayRank = ([verb, a]: Command): number =>
  /^(config|debug|setUserId)$/.test(verb as string) ? 0 : verb == "track" && a == "pageview" ? 1 : 2;
