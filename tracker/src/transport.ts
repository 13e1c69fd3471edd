import type { Hit } from "../../lib/events/hit";
import { collectorUrl, config, guard, trackingRefused } from "./config";
import { stored } from "./storage";

let buffer: Hit[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

export function enqueue(hit: Hit): void {
  buffer.push(hit);
  scheduleFlush();
}

/** Events within a second travel together. */
export function scheduleFlush(): void {
  if (!flushTimer && buffer[0]) flushTimer = setTimeout(flush, 1000);
}

/**
 * Sends everything buffered now, or drops it when tracking is refused (settings may change after the events).
 * Hits wait while no baseUrl is known, and while the opted-in device hash is being computed, unless the page
 * is being left (`final`).
 */
export const flush = guard((final?: boolean) => {
  flushTimer = clearTimeout(flushTimer) as undefined;
  const device = config.identity == "device" ? config.device : "";
  if (trackingRefused()) buffer = [];
  if (config.baseUrl && (device != null || final)) {
    for (const hit of buffer) {
      hit.sent_at = Date.now();
      hit.device = device || undefined;
    }
    // 10 hits stay far below the collector's 64 KB per request, and keepalive's 64 KB in flight per page.
    while (buffer[0]) send(buffer.splice(0, 10));
  }
});

/** A string body goes as text/plain: a simple request, no CORS preflight. 5xx and 429 are worth a retry. */
function send(hits: Hit[]): void {
  fetch(collectorUrl(config.endpoint), { method: "POST", body: JSON.stringify(hits), keepalive: true }).then(
    (response) => settle(hits, /^(5|429)/.test(response.status as never)),
    () => settle(hits, true),
  );
}

/** Hits kept in localStorage after a failed send, for 24 hours. */
function keptHits(): Hit[] {
  try {
    return JSON.parse(stored("queue")!).filter((hit: Hit) => Date.now() - hit.ts! < 864e5);
  } catch {
    return []; // none kept, storage unavailable, or unreadable
  }
}

/** Settled hits (delivered, or refused with a 4xx) leave the store, failed ones join it; the oldest go beyond 50 KB. */
function settle(hits: Hit[], failed: boolean): void {
  const kept = keptHits()
    .filter((hit) => !hits.some((settled) => settled.id == hit.id))
    .concat(failed ? hits : []);
  while (JSON.stringify(kept).length > 5e4) kept.shift();
  stored("queue", JSON.stringify(kept));
  if (failed) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(restoreKept, Math.min(2 ** failures++, 300) * (500 + Math.random() * 1000));
  } else failures = 0;
}

/** Also runs on page load: what earlier pages could not deliver joins this page's first batch. */
export function restoreKept(): void {
  buffer.push(...keptHits());
  scheduleFlush();
}
