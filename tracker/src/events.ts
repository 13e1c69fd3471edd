import type { Hit } from "@pixel/lib/events/hit";
import { config, enabled, guard, log } from "./config";
import { resetEngagement, takeEngagement } from "./engagement";
import { randomId } from "./ids";
import { cleanProps } from "./props";
import { sessionId } from "./session";
import { enqueue } from "./transport";
import { userId } from "./user";

type Page = Pick<Hit, "url" | "referrer" | "title">;

let referrer = document.referrer;
/** What the last pageview was for: its engagement is reported for it, after an SPA navigation too. */
let page: Partial<Page> = {};
let pageKey: string | undefined;

/** Where the visitor is now, within the collector's limits. */
const pageNow = (): Page => ({ url: location.href.slice(0, 2048), referrer: referrer.slice(0, 2048), title: document.title.slice(0, 300) });

/**
 * Reads the page synchronously, so the hit describes the moment of the event, unless `fields` say otherwise.
 * `options.revenue` goes as it is: the collector checks it, and keeps the event without it when it is wrong.
 */
export const track = guard((name: unknown, props?: unknown, options?: unknown, fields: Partial<Hit> = pageNow()): void => {
  if (typeof name != "string" || !name) return;
  const now = Date.now();
  const hit = {
    id: randomId(),
    name: name.slice(0, 100),
    ts: now,
    session_id: sessionId(now),
    user_id: userId,
    screen_width: screen.width,
    props: cleanProps(props),
    revenue: { ...(options as Pick<Hit, "revenue">) }.revenue,
    ...fields,
  } as Hit;
  log(hit);
  enqueue(hit);
});

/** Reports the time and scroll depth of the current page, if there is anything new to report. */
export function leavePage(): void {
  const engagement = takeEngagement(); // none before the first pageview: nothing was measured
  if (engagement) track("engagement", 0, 0, { ...page, ...engagement });
}

/** The first pageview's referrer is the document's; an SPA navigation's is the previous page. */
export function pageview(props?: unknown): void {
  leavePage();
  referrer = page.url || referrer;
  pageKey = currentPageKey();
  track("pageview", props, 0, (page = pageNow()));
  resetEngagement();
}

/** `track pageview` counts only if the URL changed since the last pageview: never two for one page. */
export function requestPageview(props?: unknown): void {
  if (pageNow().url != page.url) pageview(props);
}

/** History API, back/forward and (with `spa: "hash"`) hash routing: a pageview when the page key changes. */
export function onNavigation(): void {
  if (enabled("spa") && currentPageKey() != pageKey) pageview();
}

const currentPageKey = (): string => location.pathname + (config.spa == "hash" ? location.hash : "");
