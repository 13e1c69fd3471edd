import { type Command, load, replayRank, run } from "./commands";
import { config, guard, on } from "./config";
import { measure } from "./engagement";
import { leavePage, onNavigation, pageview } from "./events";
import { flush } from "./transport";

// Read at once: currentScript is only set while this script first runs.
const script = document.currentScript as HTMLScriptElement | null;

function start(): void {
  // The automatic pageview goes after any explicit one, which then carries its props; both make one.
  // If another copy already runs, `_pixel` is its object, `filter` throws, and this copy stops here.
  const replay = ((window._pixel || []) as Command[]).filter(Array.isArray).concat([["track", "pageview"]]);
  // `config` is for the opt-in files, which read the settings of the moment.
  window._pixel = { push: (...commands: Command[]): void => commands.forEach(run), config };
  if (script) config.baseUrl = script.src.replace(/[^/]*$/, "");
  replay.sort((a, b) => replayRank(a) - replayRank(b)).forEach(run);
  // Outbound links, downloads and forms: captured by a second file, loaded after the page's first pageview.
  load("capture");

  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      onNavigation();
    };
  }
  for (const type of ["popstate", "hashchange"]) on(type, onNavigation);
  // A page restored from the back/forward cache does not rerun the script, but is viewed again.
  on("pageshow", (event: PageTransitionEvent) => event.persisted && pageview());

  // Leaving the page (hiding, closing, bfcache) reports its engagement and sends everything pending.
  const leave = (): void => {
    leavePage();
    flush(true);
  };
  on("pagehide", leave);
  on("visibilitychange", () => (document.hidden ? leave() : measure()));
  for (const type of ["focus", "blur", "scroll"]) on(type, measure);
}

guard(start)();
