import * as v from "valibot";
import { LIMITS } from "./hit";
import { epochMs, text, uint } from "../clickhouse/columns";
import { EVENT_DEFAULTS, type EventRow, EventRowSchema } from "../clickhouse/tables/events";

/**
 * Why a hit was not stored, or (`pii_*`, `invalid_revenue`) why a part of it was not. The API shows these per site and day.
 */
export const DROP_REASONS = [
  "bot",
  "invalid",
  "unknown_site",
  "too_large",
  "shield",
  "rate_limited",
  "store_full",
  "pii_user_id",
  "pii_prop",
  "invalid_revenue",
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** A part left out of a hit that was stored without it (personal data, a wrong revenue): counted, but not as a dropped hit. */
export const PART_DROP_REASONS: readonly string[] = ["pii_user_id", "pii_prop", "invalid_revenue"] satisfies DropReason[];

/**
 * A count of hits that were not stored: one row of ClickHouse `dropped_hits`. Its `drop_id` is fixed in the message
 * that carries it, so a redelivered message is counted once. Older collectors queued each count as its own message.
 */
export interface DropMessage {
  kind: "drop";
  drop_id: string;
  /** Milliseconds since epoch (UTC), when the collector refused the hits. */
  timestamp: number;
  /** Empty when no registered site matched; then `hostname` says which host the hits claimed. */
  site_id: string;
  hostname: string;
  reason: DropReason;
  /** For bots: which check caught it (`user_agent`, `automation`, `datacenter`, `verified_bot`). */
  detail: string;
  hits: number;
}

export type DropCount = Pick<DropMessage, "site_id" | "hostname" | "reason" | "detail" | "hits">;

/**
 * One request's dropped hits, one count per site, hostname, reason and detail: a single queue message however
 * many hostnames the request named. Its counts become rows with the drop_id `<drop_id>:<index>`.
 */
export interface DropsMessage {
  kind: "drops";
  drop_id: string;
  timestamp: number;
  counts: DropCount[];
}

/**
 * An event row without its empty fields (`""`, `0`, `{}`): most of a row's columns are empty for most hits,
 * and the queue's cost grows with the message. The flusher restores them with `restoreRow`.
 */
export type CompactRow = Partial<EventRow> & Pick<EventRow, "site_id" | "event_id">;

/** What travels on the hits queue: an enriched event (compact or, from older collectors, whole), or a count of dropped hits. */
export type QueueMessage = CompactRow | EventRow | DropMessage | DropsMessage;

/**
 * What travels on the hits queue: a message as JSON text. The runtime would serialise an object to JSON
 * anyway; as text it passes a queue untouched (the local one parses and re-encodes JSON bodies) and stays
 * readable in the Cloudflare dashboard. Messages sent as objects by older collectors are still accepted.
 */
export type QueueBody = string | QueueMessage;

export const encodeMessage = (message: QueueMessage): string => JSON.stringify(message);

/**
 * The most a pack may hold, in bytes of JSON text: Queues bill an operation per 64 KB (of 1,000 bytes) written, read
 * and deleted, and a message carries up to ~100 bytes of metadata, so a pack stays one operation each way.
 */
export const PACK_BYTES = 63_000;

/**
 * Packs one request's messages into as few queue bodies as fit: a pack is the JSON array of its messages, each
 * stored as if it had come alone (`unpackBody`). A lone message stays a plain message, as older flushers read it.
 * Packing saves operations and the queue's messages-per-second, never a hit: a pack is sent before the answer.
 */
export function packMessages(messages: QueueMessage[]): string[] {
  const texts = messages.map(encodeMessage);
  const packs: string[][] = [];
  let bytes = Infinity;
  for (const text of texts) {
    const size = utf8Bytes(text) + 1;
    if (bytes + size > PACK_BYTES) {
      packs.push([]);
      bytes = 1;
    }
    packs.at(-1)!.push(text);
    bytes += size;
  }
  return packs.map((pack) => (pack.length === 1 ? pack[0]! : `[${pack.join(",")}]`));
}

/** What a queue body holds: a pack's messages, or the body itself (a message, or whatever an invalid body is). */
export function unpackBody(queued: unknown): unknown[] {
  const body = typeof queued === "string" && queued.startsWith("[") ? parsedJson(queued) : queued;
  return Array.isArray(body) && body.length ? body : [queued];
}

/** Bytes of a string as UTF-8, without encoding it: the queue's limits count bytes. */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}


/** The row as queued: fields equal to their default are left out. */
export function compactRow(row: EventRow): CompactRow {
  const compact: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key as keyof EventRow];
    if (key === "props" ? Object.keys(value as object).length : value !== (EVENT_DEFAULTS as Record<string, unknown>)[key]) compact[key] = value;
  }
  return compact as CompactRow;
}

/** A queued row with its left-out fields filled in; a whole row (the old message shape) passes unchanged. */
export function restoreRow(body: object): Record<string, unknown> {
  return { ...EVENT_DEFAULTS, props: {}, ...body };
}

export const isDrop = (message: QueueMessage): message is DropMessage | DropsMessage => "kind" in message;

const dropId = v.pipe(text(64), v.minLength(1));
const dropCount = { site_id: text(64), hostname: text(253), reason: v.picklist(DROP_REASONS), detail: text(32), hits: uint(LIMITS.lostHits) };

export const DropMessageSchema = v.strictObject({ kind: v.literal("drop"), drop_id: dropId, timestamp: epochMs, ...dropCount });

/** At most a count per hit of the request; the id leaves room for `:<index>` within `dropped_hits.drop_id`'s 64. */
export const DropsMessageSchema = v.strictObject({
  kind: v.literal("drops"),
  drop_id: v.pipe(text(48), v.minLength(1)),
  timestamp: epochMs,
  counts: v.pipe(v.array(v.strictObject(dropCount)), v.minLength(1), v.maxLength(LIMITS.eventsPerRequest)),
});

const DropShapedSchema = v.variant("kind", [DropMessageSchema, DropsMessageSchema]);

/** The rows a drop message stands for. */
function dropRows(message: DropMessage | DropsMessage): DropMessage[] {
  if (message.kind === "drop") return [message];
  const { drop_id, timestamp } = message;
  return message.counts.map((count, index) => ({ kind: "drop", drop_id: `${drop_id}:${index}`, timestamp, ...count }));
}

export type CheckedMessage =
  | { kind: "event"; row: EventRow }
  | { kind: "drop"; drops: DropMessage[] }
  | { kind: "invalid"; error: string };

/** Sorts a queue body into what the flusher can store, or says why it cannot. */
export function checkMessage(queued: unknown): CheckedMessage {
  const body = typeof queued === "string" ? parsedJson(queued) : queued;
  if (body === undefined) return { kind: "invalid", error: "the message is not JSON" };
  const isDropShaped = typeof body === "object" && body !== null && "kind" in body;
  const isRowShaped = typeof body === "object" && body !== null && !Array.isArray(body) && !isDropShaped;
  const result = isDropShaped ? v.safeParse(DropShapedSchema, body) : v.safeParse(EventRowSchema, isRowShaped ? restoreRow(body) : body);
  if (!result.success) {
    const issue = result.issues[0];
    const path = v.getDotPath(issue);
    return { kind: "invalid", error: path ? `${path}: ${issue.message}` : issue.message };
  }
  return isDropShaped ? { kind: "drop", drops: dropRows(result.output as DropMessage | DropsMessage) } : { kind: "event", row: result.output as EventRow };
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
