import type { Hit } from "@pixel/lib/events/hit";
import { collectorUrl, config, guard, trackingRefused } from "./config";
import { stored } from "./storage";

/** What this page sends next: its own hits, and stored ones no live page is sending. */
let buffer: Hit[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

/** A hit is stored before it is sent, and stays stored until the collector's answer settles it. */
export function enqueue(hit: Hit): void {
  buffer.push(hit);
  keep([hit]);
  scheduleFlush();
}

/** Events within a second travel together. */
export function scheduleFlush(): void {
  if (!flushTimer && buffer[0]) flushTimer = setTimeout(flush, 1000);
}

/**
 * Sends everything buffered now, with what earlier pages and tabs left in the store, or drops it all when tracking
 * is refused (settings may change after the events). Hits wait while no baseUrl is known, and while the opted-in
 * device hash is being computed, unless the page is being left (`final`).
 */
export const flush = guard((final?: boolean, retrying?: boolean) => {
  flushTimer = clearTimeout(flushTimer) as undefined;
  const device = config.identity == "device" ? config.device : "";
  const now = Date.now();
  // A send claims its stored hits for 10 s (their `sent_at`), so other tabs leave them to it; a retry takes them back.
  for (const hit of keptHits()) if ((retrying || !(now - hit.sent_at! < 1e4)) && !buffer.some((own) => own.id == hit.id)) buffer.push(hit);
  if (trackingRefused()) keep([], buffer.splice(0));
  if (config.baseUrl && (device != null || final)) {
    for (const hit of buffer) {
      hit.sent_at = now;
      hit.device = device || undefined;
    }
    // A leaving page claims nothing: it will hear no answer, so the next page load sends its hits again.
    if (!final) keep(buffer);
    // 10 hits stay far below the collector's 64 KB per request, and keepalive's 64 KB in flight per page.
    while (buffer[0]) send(buffer.splice(0, 10));
  }
});

/**
 * A string body goes as text/plain: a simple request, no CORS preflight. No sendBeacon fallback: Chromium refuses a
 * beacon exactly when it refuses a keepalive fetch (one 64 KB quota), and the store resends either way.
 */
function send(hits: Hit[]): void {
  fetch(collectorUrl(config.endpoint), { method: "POST", body: JSON.stringify(hits), keepalive: true }).then(
    // Delivered hits, and those refused with a 4xx, leave the store; 5xx and 429 are worth a retry.
    (response) => (/^(5|429)/.test(response.status as never) ? retry() : ((failures = 0), keep([], hits))),
    retry,
  );
}

/** Hits in localStorage, for 24 hours. */
function keptHits(): Hit[] {
  try {
    return JSON.parse(stored("queue")!).filter((hit: Hit) => Date.now() - hit.ts! < 864e5);
  } catch {
    return []; // none kept, storage unavailable, or unreadable
  }
}

/**
 * Rewrites the store without the settled hits and with `hits`. Only adding can pass 50 KB: then the oldest go, and
 * the first hit added counts them in its `lost` (each dropped hit and what it counted), which the collector reports.
 */
function keep(hits: Hit[], settled = hits): void {
  const kept = keptHits()
    .filter((hit) => !settled.some((done) => done.id == hit.id))
    .concat(hits);
  while (JSON.stringify(kept).length > 5e4) hits[0]!.lost = ~~hits[0]!.lost! - ~kept.shift()!.lost!;
  stored("queue", JSON.stringify(kept));
}

/** Failed hits stay stored, claimed, until a retry takes them back, with backoff. */
function retry(): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, Math.min(2 ** failures++, 300) * (500 + Math.random() * 1000), 0, 1);
}
