import type { ClickHouseClient } from "@clickhouse/client-web";
import * as v from "valibot";
import { clickHouseTime } from "../client";
import { epochMs, lowCardinality, text, uint, uint64 } from "../columns";
import { insertRows, type Table } from "../insert";
import { VISITOR_TYPES } from "../../events/visitor-type";
import { Currency, REVENUE_AMOUNT } from "../../events/hit";
import { dayOfNumber } from "../../time";

// The `events` table (migrations 0001, 0002, 0008, 0009, 0010, 0011 and 0012): one row per hit, as the collector enriches it. It holds nothing that
// identifies a person: no raw IP, no full user agent. Every writer (the flusher, imports, the seeder) checks rows
// against this one schema, and the row type is inferred from it.

/** A row the table takes: the flusher keeps anything else aside for inspection, never inserted. */
export const EventRowSchema = v.strictObject({
  site_id: v.pipe(text(64), v.minLength(1)),
  /** Milliseconds since epoch (UTC), corrected for the sender's clock. */
  timestamp: epochMs,
  event_id: v.pipe(text(64), v.minLength(1)),
  name: v.pipe(text(100), v.minLength(1)),
  /** Decimal strings: UInt64 values do not fit a JS number. */
  visitor_id: uint64,
  session_id: uint64,
  user_id: text(64),
  visitor_type: v.picklist(["", ...VISITOR_TYPES]),
  /**
   * The browser's first-seen day and the day of its page load before this one, in the site's calendar, as days since
   * 1970-01-01 (ClickHouse `Date`); 0 when the hit did not say, or (previous_visit) for the browser's first page load.
   * From pixel.js's validator (returning.ts), they place the visitor in a retention cohort (migration 0011).
   */
  first_visit: uint(65535),
  previous_visit: uint(65535),
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
  /** The app of an in-app WebView (Instagram, Facebook…), "" for a browser (migration 0010). */
  webview: lowCardinality,
  /**
   * A browser visit linked to the in-app WebView visit before it (same site and device identity, 15 minutes, migration
   * 0012): that visit's source and channel. "" when not linked.
   */
  linked_source: lowCardinality,
  linked_channel: lowCardinality,
  screen_width: uint(65535),
  scroll_depth: uint(255),
  engaged_ms: uint(2 ** 32 - 1),
  /** Decimal(18, 4) as a decimal string, so no float touches money; `0` with no currency when the hit earned nothing. */
  revenue_amount: v.pipe(v.string(), v.regex(REVENUE_AMOUNT, "must be a Decimal(18, 4), not negative")),
  revenue_currency: v.union([v.literal(""), Currency]),
  props: v.pipe(v.record(v.pipe(text(64), v.minLength(1)), text(500)), v.check((props) => Object.keys(props).length <= 30)),
  ip_hash: uint64,
  retention_days: uint(65535),
});

export type EventRow = v.InferOutput<typeof EventRowSchema>;

/** Where a hit came from, by Cloudflare's edge data. */
export type EventGeo = Pick<EventRow, "country" | "region_code" | "region" | "city" | "continent" | "timezone" | "asn" | "as_org">;

/** The visitor's software, parsed from the user agent. */
export type EventSoftware = Pick<EventRow, "browser" | "browser_version" | "os" | "os_version" | "device_type" | "device_vendor" | "device_model" | "webview">;

/** The value of each column a hit may leave empty. */
export const EVENT_DEFAULTS = {
  user_id: "", visitor_type: "", first_visit: 0, previous_visit: 0, hostname: "", pathname: "", query: "", title: "", referrer: "", referrer_host: "", channel: "",
  utm_source: "", utm_medium: "", utm_campaign: "", utm_term: "", utm_content: "",
  country: "", region_code: "", region: "", city: "", continent: "", timezone: "", asn: 0, as_org: "",
  browser: "", browser_version: "", os: "", os_version: "", device_type: "", device_vendor: "", device_model: "", webview: "", linked_source: "", linked_channel: "",
  screen_width: 0, scroll_depth: 0, engaged_ms: 0, revenue_amount: "0", revenue_currency: "", retention_days: 0,
} as const satisfies Partial<EventRow>;

export const EVENTS: Table<EventRow> = {
  name: "events",
  idOf: (row) => row.event_id,
  toColumns: (row) => ({
    ...row,
    timestamp: clickHouseTime(row.timestamp),
    first_visit: dayOfNumber(row.first_visit),
    previous_visit: dayOfNumber(row.previous_visit),
  }),
};

/** One INSERT of events, deduplicated as the flusher's are; the tests, the seeder and the benchmarks seed with it. */
export async function insertEvents(client: ClickHouseClient, rows: EventRow[]): Promise<number> {
  await insertRows(client, EVENTS, rows);
  return rows.length;
}
