import type { DropCount, DropMessage, DropReason, DropsMessage } from "@pixel/lib/events/message";
import type { CollectorEnv } from "./env";
import { createLogger, errorFields } from "@pixel/lib/log/log";
import { queueMessages } from "./queue";

const hostKey = (hostname: string) => hostname.toLowerCase().replace(/^www\./, "").slice(0, 253);

/**
 * Hits a sender's store dropped, as counted by the stored hit `hitId` (its `lost`). The drop id is the hit's, so a
 * resent hit counts them once, like the hit itself.
 */
export const lostDrop = (hitId: string, hits: number, siteId: string, hostname: string, now: number): DropMessage => ({
  kind: "drop",
  drop_id: hitId,
  timestamp: now,
  site_id: siteId,
  hostname: hostKey(hostname),
  reason: "store_full",
  detail: "",
  hits,
});

/** Dropped hits of one request, summed per site, hostname, reason and detail: one queue message for them all. */
export class DropTally {
  private readonly byKey = new Map<string, DropCount>();
  constructor(private readonly now: number) {}

  add(reason: DropReason, siteId: string, hostname: string, detail = "", hits = 1) {
    const host = hostKey(hostname);
    const key = `${reason}\n${siteId}\n${host}\n${detail}`;
    const counted = this.byKey.get(key);
    if (counted) counted.hits += hits;
    else this.byKey.set(key, { site_id: siteId, hostname: host, reason, detail, hits });
  }

  get size(): number {
    return this.byKey.size;
  }

  get message(): DropsMessage | null {
    if (!this.byKey.size) return null;
    return { kind: "drops", drop_id: crypto.randomUUID(), timestamp: this.now, counts: [...this.byKey.values()] };
  }

  /** For the `x-pixel-dropped` answer header: which reasons applied, e.g. `bot` or `unknown_site`. */
  get reasons(): string {
    if (!this.byKey.size) return "";
    return [...new Set([...this.byKey.values()].map((count) => count.reason))].join(",");
  }
}

export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Counting must never cost the sender an answer: the send runs after the response, and a failure
 * is only logged.
 */
export function countDrops(env: CollectorEnv, ctx: WaitUntil, drops: DropTally) {
  const message = drops.message;
  if (!message) return;
  const send = queueMessages(env, [message]);
  ctx.waitUntil(send.catch((error: unknown) => createLogger("collector").error("drop counters not sent", errorFields(error))));
}
