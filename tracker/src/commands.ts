import { collectorUrl, config, guard } from "./config";
import { requestPageview, track } from "./events";
import { scheduleFlush } from "./transport";
import { setUserId } from "./user";

export type Command = unknown[];

const loaded: Record<string, unknown> = {};

export const run = guard((command: Command) => {
  const [verb, a, b, c] = command;
  if (verb == "config") configure(a, b);
  else if (verb == "debug") configure("debug", a);
  else if (verb == "setUserId") setUserId(a);
  else if (verb == "track") a == "pageview" ? requestPageview(b) : track(a, b, c);
});

function configure(key: unknown, value: unknown): void {
  config[key as string] = value;
  if (key == "identity" && value == "device") load("device");
  scheduleFlush();
}

/**
 * Features not every page needs live in their own files beside pixel.js (pixel-device.js, pixel-capture.js),
 * fetched only when turned on. pixel-device.js answers with `config device <hash>`; if it cannot load, that is "".
 */
export function load(name: string): void {
  if (loaded[name]) return;
  const script = (loaded[name] = document.head.appendChild(document.createElement("script")));
  script.src = collectorUrl(`/pixel-${name}.js`);
  script.onerror = () => configure(name, "");
}

/**
 * Order for replaying the queue from before the script loaded: settings first, so a `track` pushed
 * before `config baseUrl` is kept; then the page's one pageview; then everything else in push order.
 */
export const replayRank = ([verb, a]: Command): number => (verb == "track" ? (a == "pageview" ? 1 : 2) : 0);
