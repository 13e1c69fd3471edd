import { type Command, replayRank, run } from "./commands";
import { config, guard } from "./config";
import { onNavigation, pageview } from "./events";
import { flush, restoreKept } from "./transport";

// Read at once: currentScript is only set while this script first runs.
const script = document.currentScript as HTMLScriptElement | null;

function start(): void {
  const queued = window._pixel as Command[] | undefined;
  if (queued && !Array.isArray(queued)) return; // another copy is already running
  const push = (...commands: Command[]): void => commands.forEach(run);
  window._pixel = { push };
  if (queued) queued.push = push as never; // for pages that kept a reference to the array
  if (script && script.src) config.baseUrl = new URL(".", script.src).href;

  // The automatic pageview goes after any explicit one, which then carries its props; both make one.
  const replay = (queued || []).filter(Array.isArray).concat([["track", "pageview"]]);
  replay.sort((a, b) => replayRank(a) - replayRank(b)).forEach(run);

  watchNavigation();
  addEventListener("pagehide", flush);
  addEventListener("visibilitychange", () => document.visibilityState == "hidden" && flush());
  restoreKept();
  // Seam: auto-capture modules (scroll depth, engagement, outbound, downloads, forms) start here.
}

function watchNavigation(): void {
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      onNavigation();
    };
  }
  addEventListener("popstate", onNavigation);
  // A page restored from the back/forward cache does not rerun the script, but is viewed again.
  addEventListener("pageshow", (event) => event.persisted && pageview());
}

const begin = guard(start);
// A prerendered page counts once it is shown, not when it is prepared.
if ((document as Document & { prerendering?: boolean }).prerendering) {
  document.addEventListener("prerenderingchange", begin, { once: true });
} else begin();
