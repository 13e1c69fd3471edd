import type { Hit } from "@pixel/lib/events/hit";
import { enabled } from "./config";

let engagedMs = 0;
let activeSince = 0;
let depth = 0;

/** Adds the visible-and-focused time since the last call, and the deepest scroll position seen. */
export function measure(): void {
  const now = Date.now();
  engagedMs += activeSince && now - activeSince;
  activeSince = document.hasFocus() ? now : 0; // a hidden page has no focus
  // `+ .5 | 0` rounds, and turns NaN (no layout yet) into 0.
  depth = Math.max(depth, Math.min(100, ((scrollY + innerHeight) * 100) / document.documentElement.scrollHeight + 0.5 | 0));
}

/**
 * The page's engagement fields, when it was engaged with since they were last taken (so hiding and then
 * closing a page reports once) and some are switched on. Counting then pauses until the next `measure()`.
 */
export function takeEngagement(): Partial<Hit> | 0 | undefined {
  measure();
  const fields = {
    scroll_depth: (enabled("scrollTracking") && depth) || undefined,
    engaged_ms: (enabled("visibilityTracking") && engagedMs) || undefined,
  };
  const fresh = engagedMs && (fields.scroll_depth || fields.engaged_ms) && fields;
  engagedMs = activeSince = 0;
  return fresh;
}

export function resetEngagement(): void {
  depth = engagedMs = 0;
  measure();
}
