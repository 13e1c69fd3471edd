import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { checkMessage, isDrop, restoreRow, unpackBody, type DropMessage, type QueueBody, type QueueMessage } from "@pixel/lib/events/message";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { CollectorEnv } from "@pixel/workers/collector/src/env";
import worker from "@pixel/workers/collector/src/index";

/** For tests: the collector's env in workerd (D1, Durable Objects, the rate limiter) from wrangler.toml. */
export const testEnv = env as unknown as CollectorEnv;

export const CHROME_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
export const CF = { country: "DE", regionCode: "BE", region: "Berlin", city: "Berlin", continent: "EU", timezone: "Europe/Berlin", asn: 3320, asOrganization: "Deutsche Telekom", latitude: "52.5", longitude: "13.4", postalCode: "10115" };

export interface CollectInit {
  ua?: string;
  ip?: string;
  host?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  cf?: Record<string, unknown>;
}

/** A hits queue that only records the messages the collector sends, one by one, in batches or packed; `bodies` gets each queue message. */
export function recordingQueue(into: QueueMessage[], bodies: QueueBody[] = []): Queue<QueueBody> {
  const record = (body: QueueBody) => {
    bodies.push(body);
    into.push(...unpackBody(body).map((part) => (typeof part === "string" ? (JSON.parse(part) as QueueMessage) : (part as QueueMessage))));
  };
  return {
    send: async (body: QueueBody) => void record(body),
    sendBatch: async (batch: Iterable<{ body: QueueBody }>) => void [...batch].forEach((message) => record(message.body)),
  } as unknown as Queue<QueueBody>;
}

/**
 * A request to the real collector in workerd, with D1, the Durable Objects and the rate limiter; only the
 * queue is a recorder. `sent` are the rows as the flusher restores them, `drops` the drop counts as it stores
 * them, `queued` the messages as sent.
 */
export async function collect(body: BodyInit | null, init: CollectInit = {}, bindings: Partial<CollectorEnv> = {}) {
  const queued: QueueMessage[] = [];
  const request = new Request(`https://${init.host ?? "shop.example"}${init.path ?? "/telemetry/e"}`, {
    method: init.method ?? "POST",
    body,
    headers: { "content-type": "text/plain", "user-agent": init.ua ?? CHROME_UA, "cf-connecting-ip": init.ip ?? "203.0.113.7", ...init.headers },
    cf: { ...CF, ...init.cf },
  } as RequestInit);
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as never, { ...testEnv, HITS: recordingQueue(queued), ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  const sent = queued.filter((message) => !isDrop(message)).map((message) => restoreRow(message) as unknown as EventRow);
  const drops = queued.filter(isDrop).flatMap((message) => dropRows(message));
  return { response, sent, drops, queued };
}

/** The `dropped_hits` rows a queued drop message stands for, as the flusher reads them. */
export function dropRows(message: QueueMessage): DropMessage[] {
  const checked = checkMessage(message);
  if (checked.kind !== "drop") throw new Error(`not a drop message: ${JSON.stringify(message)}`);
  return checked.drops;
}
