import type { Hit } from "../../lib/events/hit";
import { guard, log, trackingRefused } from "./config";
import { randomId } from "./ids";
import { cleanProps } from "./props";
import { sessionId } from "./session";
import { enqueue } from "./transport";
import { currentUserId } from "./user";

let referrer = document.referrer;
let lastPageUrl: string | undefined;
let lastPagePath: string | undefined;

/** Reads the page synchronously, so the hit describes the moment of the event. */
export const track = guard((name: unknown, props?: unknown) => {
  if (typeof name != "string" || !name) return;
  if (trackingRefused()) return log("not tracking", name);
  const now = Date.now();
  const hit: Hit = {
    id: randomId(),
    name: name.slice(0, 100),
    url: location.href.slice(0, 2048),
    referrer: referrer.slice(0, 2048),
    title: document.title.slice(0, 300),
    ts: now,
    session_id: sessionId(now),
    user_id: currentUserId(),
    screen_width: screen.width,
    props: cleanProps(props),
  };
  log(hit);
  enqueue(hit);
});

/** The first pageview's referrer is the document's; an SPA navigation's is the previous page. */
export function pageview(props?: unknown): void {
  if (lastPageUrl) referrer = lastPageUrl;
  lastPageUrl = location.href;
  lastPagePath = location.pathname;
  track("pageview", props);
}

/** `track pageview` counts only if the URL changed since the last pageview: never two for one page. */
export function requestPageview(props?: unknown): void {
  if (location.href != lastPageUrl) pageview(props);
}

/** History API and back/forward: a pageview when the path changes (not for query or hash changes). */
export function onNavigation(): void {
  if (location.pathname != lastPagePath) pageview();
}
