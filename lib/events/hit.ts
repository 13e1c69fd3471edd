import * as v from "valibot";
import { CURRENCY_CODE, CURRENCY_RULE } from "./currency";

/**
 * The wire format: what pixel.js (or any server-side sender) POSTs to the collector.
 * One definition gives the tracker its types (type-only import) and the collector its validation.
 */
export const LIMITS = {
  eventsPerRequest: 50,
  /** Distinct hostnames (`www.` aside) one request may send hits for: a page sends its own; each costs a site lookup. */
  hostnamesPerRequest: 5,
  bodyBytes: 64 * 1024,
  nameLength: 100,
  urlLength: 2048,
  titleLength: 300,
  idLength: 64,
  propCount: 30,
  propKeyLength: 64,
  propValueLength: 500,
  /** A hit older than this (by its own clock) is refused: the tracker keeps unsent hits for 24 hours. */
  maxAgeMs: 25 * 60 * 60 * 1000,
  /** The most hits one hit may report as dropped by the sender's store (`lost`). */
  lostHits: 1_000_000,
  /** Revenue fits ClickHouse Decimal(18, 4): 14 integer digits, 4 decimals. */
  revenueIntegerDigits: 14,
  revenueDecimals: 4,
} as const;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `at most ${max} characters`));
const token = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, "8 to 64 characters of A-Z, a-z, 0-9, _ or -"),
);
const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0));

const propValue = v.union([
  text(LIMITS.propValueLength),
  v.pipe(v.number(), v.finite()),
  v.boolean(),
]);

/** record() alone would also take an array. */
const keyValuePairs = v.custom<Record<string, unknown>>(
  (input) => typeof input === "object" && input !== null && !Array.isArray(input),
  "must be an object of key-value pairs",
);

export const Props = v.pipe(
  v.intersect([
    keyValuePairs,
    v.record(
      v.pipe(
        v.string(),
        v.minLength(1, "prop keys must not be empty"),
        v.maxLength(LIMITS.propKeyLength, `prop keys are at most ${LIMITS.propKeyLength} characters`),
        v.check((key) => !FORBIDDEN_KEYS.has(key), "forbidden prop key"),
      ),
      propValue,
    ),
  ]),
  v.check((props) => Object.keys(props).length <= LIMITS.propCount, `at most ${LIMITS.propCount} props`),
);

/** A revenue amount as ClickHouse Decimal(18, 4) takes it, not negative. */
export const REVENUE_AMOUNT = new RegExp(`^\\d{1,${LIMITS.revenueIntegerDigits}}(\\.\\d{1,${LIMITS.revenueDecimals}})?$`);

/** A currency as ISO 4217 names it; a revenue goal has one too. */
export const Currency = v.pipe(v.string(), v.regex(CURRENCY_CODE, CURRENCY_RULE));

/**
 * What a conversion earned: an exact decimal (a string, or a number as JSON writes it) in an ISO 4217 currency.
 * Amounts stay strings so no float rounding reaches storage.
 */
export const Revenue = v.strictObject({
  amount: v.pipe(
    v.union([v.string(), v.pipe(v.number(), v.finite(), v.transform(String))], "must be a decimal number or string"),
    v.regex(
      REVENUE_AMOUNT,
      `must be a decimal of at most ${LIMITS.revenueIntegerDigits} digits and ${LIMITS.revenueDecimals} decimals, not negative`,
    ),
  ),
  currency: Currency,
});

export const HitSchema = v.strictObject({
  /** Generated in the browser; retries and resends carry the same id, so storage can drop duplicates. */
  id: token,
  name: v.pipe(text(LIMITS.nameLength), v.minLength(1, "must not be empty")),
  url: v.pipe(text(LIMITS.urlLength), v.url("must be an absolute URL")),
  referrer: v.optional(text(LIMITS.urlLength)),
  title: v.optional(text(LIMITS.titleLength)),
  /** When the event happened, by the sender's clock (ms since epoch). */
  ts: v.optional(epochMs),
  /** When the request was sent, by the same clock; with `ts` it corrects for a wrong client clock. */
  sent_at: v.optional(epochMs),
  session_id: v.optional(token),
  user_id: v.optional(text(LIMITS.idLength)),
  screen_width: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
  /** Deepest point of the page reached, in percent; sent with engagement hits. */
  scroll_depth: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
  /** Visible and focused time on the page, in milliseconds; sent with engagement hits. */
  engaged_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.maxAgeMs))),
  /** Opt-in (`identity: 'device'`): a hash of stable device signals, used only to link visitors across sites and from an in-app WebView to the browser. */
  device: v.optional(token),
  props: v.optional(Props),
  /** Only on custom events (a goal's conversion); see `Revenue`. */
  revenue: v.optional(Revenue),
  /**
   * Hits the sender's own store dropped (its size cap) before they could be sent; counted as `store_full` drops once
   * this hit is stored. pixel.js puts the count on the hit it was adding when the cap was passed.
   */
  lost: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.lostHits))),
});

export type Hit = v.InferOutput<typeof HitSchema>;
export type HitProps = NonNullable<Hit["props"]>;

/** A request body: one hit or a batch of them. */
export const HitBatchSchema = v.union([
  HitSchema,
  v.pipe(
    v.array(HitSchema),
    v.minLength(1, "a batch must hold at least one hit"),
    v.maxLength(LIMITS.eventsPerRequest, `at most ${LIMITS.eventsPerRequest} hits per request`),
  ),
]);
