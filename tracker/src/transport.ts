import type { Hit } from "../../lib/events/hit";
import { config, guard, trackingRefused } from "./config";
import { read, write } from "./storage";

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
  if (!flushTimer && buffer.length) flushTimer = setTimeout(flush, 1000);
}

/** Sends everything buffered now; hits wait in the buffer while no baseUrl is known. */
export const flush = guard(() => {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (!config.baseUrl || trackingRefused()) return;
  const now = Date.now();
  for (const hit of buffer) hit.sent_at = now;
  send(buffer);
  buffer = [];
});

function send(hits: Hit[]): void {
  if (!hits[0]) return;
  const body = JSON.stringify(hits);
  // At most 50 hits and 60 KB per request: fetch keepalive allows 64 KB in flight per page.
  if (hits.length > 50 || (hits[1] && new Blob([body]).size > 60000)) {
    const half = hits.length >> 1;
    send(hits.slice(0, half));
    return send(hits.slice(half));
  }
  const url = config.baseUrl!.replace(/\/$/, "") + config.endpoint;
  if (typeof fetch == "function") {
    // 5xx and 429 are worth a retry; any other answer is final.
    fetch(url, { method: "POST", body, keepalive: true, headers: { "Content-Type": "text/plain" } }).then(
      (response) => settle(hits, /^(5|429)/.test(response.status as never)),
      () => settle(hits, true),
    );
  } else settle(hits, !navigator.sendBeacon(url, body));
}

/** Hits kept in localStorage after a failed send, for 24 hours. */
function keptHits(): Hit[] {
  try {
    const kept: Hit[] = JSON.parse(read("queue") || "[]");
    return kept.filter((hit) => Date.now() - hit.ts! < 864e5);
  } catch {
    return [];
  }
}

/**
 * Delivered hits, and hits refused with a 4xx (a retry would not help), leave the store; failed ones join it.
 * The store keeps the newest 200 hits and 100 KB.
 */
function settle(hits: Hit[], failed: boolean): void {
  let chars = 0;
  const kept = keptHits()
    .filter((hit) => !hits.some((settled) => settled.id == hit.id))
    .concat(failed ? hits : [])
    .sort((a, b) => b.ts! - a.ts!)
    .filter((hit, i) => i < 200 && (chars += JSON.stringify(hit).length) < 100000);
  write("queue", JSON.stringify(kept.reverse()));
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
