import * as v from "valibot";
import { LIMITS } from "./hit";
import type { EventRow } from "./row";

/** Why a hit was not stored, or (`pii_*`) why a part of it was not. The API shows these per site and day. */
export const DROP_REASONS = ["bot", "invalid", "unknown_site", "too_large", "shield", "rate_limited", "store_full", "pii_user_id", "pii_prop"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Personal data left out of a hit that was stored without it: counted, but not as a dropped hit. */
export const PART_DROP_REASONS: readonly string[] = ["pii_user_id", "pii_prop"] satisfies DropReason[];

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

const ROW_DEFAULTS: Readonly<Record<string, unknown>> = {
  user_id: "", hostname: "", pathname: "", query: "", title: "", referrer: "", referrer_host: "", channel: "",
  utm_source: "", utm_medium: "", utm_campaign: "", utm_term: "", utm_content: "",
  country: "", region_code: "", region: "", city: "", continent: "", timezone: "", asn: 0, as_org: "",
  browser: "", browser_version: "", os: "", os_version: "", device_type: "", device_vendor: "", device_model: "",
  screen_width: 0, scroll_depth: 0, engaged_ms: 0, retention_days: 0,
};

/** The row as queued: fields equal to their default are left out. */
export function compactRow(row: EventRow): CompactRow {
  const compact: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key as keyof EventRow];
    if (key === "props" ? Object.keys(value as object).length : value !== ROW_DEFAULTS[key]) compact[key] = value;
  }
  return compact as CompactRow;
}

/** A queued row with its left-out fields filled in; a whole row (the old message shape) passes unchanged. */
export function restoreRow(body: object): Record<string, unknown> {
  return { ...ROW_DEFAULTS, props: {}, ...body };
}

export const isDrop = (message: QueueMessage): message is DropMessage | DropsMessage => "kind" in message;

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const uint = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
const uint64 = v.pipe(v.string(), v.check((value) => /^\d{1,20}$/.test(value) && BigInt(value) < 2n ** 64n, "must be a UInt64 in decimal"));
/** DateTime64(3) holds 1900–2299; Pixel only ever writes times near now. */
const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Date.UTC(2200, 0, 1)));
const lowCardinality = text(300);

/** The shape the flusher accepts for `events`: anything else is kept aside for inspection, never inserted. */
export const EventRowSchema = v.strictObject({
  site_id: v.pipe(text(64), v.minLength(1)),
  timestamp: epochMs,
  event_id: v.pipe(text(64), v.minLength(1)),
  name: v.pipe(text(100), v.minLength(1)),
  visitor_id: uint64,
  session_id: uint64,
  user_id: text(64),
  hostname: text(253),
  pathname: text(2048),
  query: text(2048),
  title: text(300),
  referrer: text(2048),
  referrer_host: text(253),
  channel: lowCardinality,
  utm_source: lowCardinality,
  utm_medium: lowCardinality,
  utm_campaign: lowCardinality,
  utm_term: lowCardinality,
  utm_content: lowCardinality,
  country: text(2),
  region_code: text(10),
  region: lowCardinality,
  city: lowCardinality,
  continent: text(2),
  timezone: text(64),
  asn: uint(2 ** 32 - 1),
  as_org: lowCardinality,
  browser: lowCardinality,
  browser_version: lowCardinality,
  os: lowCardinality,
  os_version: lowCardinality,
  device_type: lowCardinality,
  device_vendor: lowCardinality,
  device_model: lowCardinality,
  screen_width: uint(65535),
  scroll_depth: uint(255),
  engaged_ms: uint(2 ** 32 - 1),
  props: v.pipe(v.record(v.pipe(text(64), v.minLength(1)), text(500)), v.check((props) => Object.keys(props).length <= 30)),
  ip_hash: uint64,
  retention_days: uint(65535),
});

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
