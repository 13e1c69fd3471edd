import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { addDays, wallClock } from "@pixel/lib/time";

/**
 * Deterministic synthetic traffic for tests, benchmarks and seeding: visitors with fixed devices and places,
 * visits with a source, pageviews, engagement hits, custom events with props, bounces, and visits that cross
 * local midnight. Same seed, same rows. Batches stream, so 10 million rows never sit in memory together.
 */
export interface TruthSite {
  id: string;
  domain: string;
  timezone: string;
}

export interface GenerateOptions {
  seed: number;
  sites: TruthSite[];
  /** First local day, YYYY-MM-DD. */
  firstDay: string;
  days: number;
  visitsPerSiteDay: number;
  /** Resend this share of events with the same event_id, as a retrying tracker does. */
  duplicateShare?: number;
}

export const PAGES = ["/", "/pricing", "/docs/intro", "/docs/api/keys", "/blog/launch", "/blog/o'brien", "/about", "/contact"];
const PAGE_WEIGHTS = [30, 12, 10, 6, 10, 4, 5, 3];

interface Source {
  referrer: string;
  referrer_host: string;
  channel: string;
  utm: [string, string, string, string, string];
}

const NO_UTM: Source["utm"] = ["", "", "", "", ""];
const SOURCES: Source[] = [
  { referrer: "", referrer_host: "", channel: "direct", utm: NO_UTM },
  { referrer: "https://www.google.com/", referrer_host: "google.com", channel: "organic search", utm: NO_UTM },
  { referrer: "https://t.co/abc", referrer_host: "t.co", channel: "organic social", utm: NO_UTM },
  { referrer: "", referrer_host: "", channel: "email", utm: ["newsletter", "email", "launch", "", ""] },
  { referrer: "https://www.google.com/", referrer_host: "google.com", channel: "paid search", utm: ["google", "cpc", "spring", "shoes", "ad1"] },
];
const SOURCE_WEIGHTS = [30, 30, 15, 10, 15];

const PLACES = [
  { country: "DE", region_code: "BY", region: "Bavaria", city: "Munich", continent: "EU", timezone: "Europe/Berlin" },
  { country: "US", region_code: "CA", region: "California", city: "San Francisco", continent: "NA", timezone: "America/Los_Angeles" },
  { country: "IN", region_code: "KA", region: "Karnataka", city: "Bengaluru", continent: "AS", timezone: "Asia/Kolkata" },
  { country: "FR", region_code: "IDF", region: "Île-de-France", city: "Paris", continent: "EU", timezone: "Europe/Paris" },
];

const DEVICES = [
  { device_type: "desktop", browser: "Chrome", browser_version: "131", os: "Windows", os_version: "11", screen_width: 1920, webview: "" },
  { device_type: "desktop", browser: "Firefox", browser_version: "133", os: "Linux", os_version: "", screen_width: 1280, webview: "" },
  { device_type: "mobile", browser: "Safari", browser_version: "18", os: "iOS", os_version: "18.1", screen_width: 390, webview: "Instagram" },
  { device_type: "tablet", browser: "Chrome", browser_version: "130", os: "Android", os_version: "14", screen_width: 800, webview: "" },
];

type EmittedFields = { name: string; pathname: string; props?: Record<string, string>; scroll_depth?: number; engaged_ms?: number; revenue?: [amount: string, currency: string] };

const CUSTOM_EVENTS = [
  { name: "signup", share: 0.15, props: () => ({ plan: "pro" }) },
  { name: "download", share: 0.1, props: () => ({ file: "guide.pdf" }) },
  { name: "outbound", share: 0.05, props: () => ({ url: "https://example.org/" }) },
  { name: "form_submit", share: 0.05, props: () => ({}) },
  { name: "purchase", share: 0.05, props: () => ({}) },
];

/** mulberry32: small, fast, and the same on every platform. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* generateEventBatches(options: GenerateOptions, batchSize = 10_000): Generator<EventRow[]> {
  const random = prng(options.seed);
  const pick = <T>(items: T[], weights?: number[]) => items[weighted(random, weights ?? items.map(() => 1))]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  /** Purchases earn an amount with cents in one of two currencies: revenue metrics must count only the goal's. */
  const revenue = (): EmittedFields["revenue"] => [(between(100, 9_999_999) / 100).toFixed(2), random() < 0.8 ? "EUR" : "USD"];
  let batch: EventRow[] = [];
  let eventCount = 0;
  let sessionCount = 0;
  for (const [siteIndex, site] of options.sites.entries()) {
    const visitorPool = Math.max(1, Math.floor((options.visitsPerSiteDay * options.days) / 2));
    const firstDays = new Map<number, number>();
    const browsers = new Map<number, { first: number; last: number }>();
    for (let day = 0; day < options.days; day++) {
      const date = addDays(options.firstDay, day);
      const midnight = zonedMidnight(date, site.timezone);
      for (let visit = 0; visit < options.visitsPerSiteDay; visit++) {
        const visitorNumber = between(1, visitorPool);
        const visitor = visitorOf(options.seed, siteIndex, visitorNumber);
        const visitorType = visitorTypeOf(visitorNumber, day, firstDays);
        const source = pick(SOURCES, SOURCE_WEIGHTS);
        const linked = linkedFrom(visitorNumber, visitor.device.webview, source);
        const crossesMidnight = random() < 0.08;
        let time = crossesMidnight ? midnight + 86_400_000 - between(30_000, 600_000) : midnight + Math.floor(random() * 86_000_000);
        const sessionId = String(1_000_000_000 + options.seed * 100_000_000 + ++sessionCount);
        const pageviews = random() < 0.4 ? 1 : between(2, 6);
        let days: VisitDays = NO_DAYS;
        const emit = (fields: EmittedFields) => {
          const first = batch.length === 0 || batch.at(-1)!.session_id !== sessionId;
          batch.push(eventRow(site, visitor, visitorType, days, sessionId, `ev${options.seed}_${++eventCount}`, time, first ? source : undefined, linked, fields));
          time += between(1_000, 400_000);
        };
        for (let view = 0; view < pageviews; view++) {
          const pathname = pick(PAGES, PAGE_WEIGHTS);
          days = pageLoadDays(visitorNumber, Date.parse(`${date}T00:00:00Z`) / DAY_MS + Math.floor((time - midnight) / DAY_MS), browsers);
          emit({ name: "pageview", pathname, props: pathname.startsWith("/blog") ? { author: random() < 0.5 ? "ann" : "bob" } : {} });
          if (random() < 0.7) emit({ name: "engagement", pathname, scroll_depth: between(0, 100), engaged_ms: between(500, 120_000) });
          for (const custom of CUSTOM_EVENTS) {
            if (random() < custom.share / pageviews) emit({ name: custom.name, pathname, props: custom.props(), ...(custom.name === "purchase" && { revenue: revenue() }) });
          }
        }
        if (batch.length >= batchSize) {
          yield withDuplicates(batch, random, options.duplicateShare ?? 0);
          batch = [];
        }
      }
    }
  }
  if (batch.length) yield withDuplicates(batch, random, options.duplicateShare ?? 0);
}

/**
 * As the collector's validator tells it: returning after a day with a visit, new before; every tenth visitor's hits
 * come without pixel.js (the Events API), so their type is unknown. Draws no random numbers: the rows stay the same.
 */
function visitorTypeOf(visitorNumber: number, day: number, firstDays: Map<number, number>): EventRow["visitor_type"] {
  if (visitorNumber % 10 === 0) return "";
  if (!firstDays.has(visitorNumber)) firstDays.set(visitorNumber, day);
  return firstDays.get(visitorNumber)! < day ? "returning" : "new";
}

/**
 * A direct browser visit of two visitors in three followed their in-app visit from Instagram (the collector's WebView to
 * browser link): its hits carry that visit's source. Draws no random numbers: the rows stay the same.
 */
function linkedFrom(visitorNumber: number, webview: string, source: Source): Linked {
  return visitorNumber % 3 !== 0 && !webview && source.channel === "direct" ? INSTAGRAM_LINK : NOT_LINKED;
}
type Linked = Pick<EventRow, "linked_source" | "linked_channel">;
const NOT_LINKED: Linked = { linked_source: "", linked_channel: "" };
const INSTAGRAM_LINK: Linked = { linked_source: "l.instagram.com", linked_channel: "organic social" };

const DAY_MS = 86_400_000;
type VisitDays = Pick<EventRow, "first_visit" | "previous_visit">;
const NO_DAYS: VisitDays = { first_visit: 0, previous_visit: 0 };

/**
 * A page load's visit days, as pixel.js's ETag tells the collector: the browser's first day and its latest page load
 * before this one (site calendar day numbers). The tenth visitors without pixel.js have none. Draws no random numbers.
 */
function pageLoadDays(visitorNumber: number, today: number, browsers: Map<number, { first: number; last: number }>): VisitDays {
  if (visitorNumber % 10 === 0) return NO_DAYS;
  const known = browsers.get(visitorNumber) ?? { first: today, last: 0 };
  // A visit that crossed midnight was generated before the next day's earlier visits: the cache keeps the latest day.
  browsers.set(visitorNumber, { first: known.first, last: Math.max(known.last, today) });
  return { first_visit: known.first, previous_visit: known.last };
}

/** One literal of one shape: spreads of 40-field objects made generation 10× slower. */
function eventRow(
  site: TruthSite,
  visitor: ReturnType<typeof visitorOf>,
  visitorType: EventRow["visitor_type"],
  days: VisitDays,
  sessionId: string,
  eventId: string,
  timestamp: number,
  landing: Source | undefined,
  linked: Linked,
  fields: EmittedFields,
): EventRow {
  const { place, device } = visitor;
  const utm = landing?.utm ?? NO_UTM;
  return {
    site_id: site.id,
    timestamp,
    event_id: eventId,
    name: fields.name,
    visitor_id: visitor.id,
    session_id: sessionId,
    user_id: visitor.user,
    visitor_type: visitorType,
    first_visit: days.first_visit,
    previous_visit: days.previous_visit,
    hostname: fields.pathname.startsWith("/blog") ? `blog.${site.domain}` : site.domain,
    pathname: fields.pathname,
    query: "",
    title: "",
    referrer: landing?.referrer ?? "",
    referrer_host: landing?.referrer_host ?? "",
    channel: landing?.channel ?? "internal",
    utm_source: utm[0],
    utm_medium: utm[1],
    utm_campaign: utm[2],
    utm_term: utm[3],
    utm_content: utm[4],
    country: place.country,
    region_code: place.region_code,
    region: place.region,
    city: place.city,
    continent: place.continent,
    timezone: place.timezone,
    asn: 3320,
    as_org: "Example Telecom",
    browser: device.browser,
    browser_version: device.browser_version,
    os: device.os,
    os_version: device.os_version,
    device_type: device.device_type,
    device_vendor: "",
    device_model: "",
    webview: device.webview,
    linked_source: linked.linked_source,
    linked_channel: linked.linked_channel,
    screen_width: device.screen_width,
    scroll_depth: fields.scroll_depth ?? 0,
    engaged_ms: fields.engaged_ms ?? 0,
    revenue_amount: fields.revenue?.[0] ?? "0",
    revenue_currency: fields.revenue?.[1] ?? "",
    props: fields.props ?? {},
    ip_hash: visitor.id,
    retention_days: 0,
  };
}

/**
 * A visitor keeps their device and place across visits. Every fourth visitor is signed in on all their hits, and two
 * of them (two browsers or devices) are one user of the site: `user_id` is `user-N`.
 */
function visitorOf(seed: number, siteIndex: number, number: number) {
  const random = prng(seed * 7919 + siteIndex * 104_729 + number);
  return {
    id: String(BigInt(siteIndex + 1) * 10_000_000_000n + BigInt(number)),
    user: number % 4 === 1 ? `user-${Math.floor(number / 8)}` : "",
    place: PLACES[Math.floor(random() * PLACES.length)]!,
    device: DEVICES[Math.floor(random() * DEVICES.length)]!,
  };
}

function withDuplicates(batch: EventRow[], random: () => number, share: number): EventRow[] {
  if (!share) return batch;
  return [...batch, ...batch.filter(() => random() < share).map((row) => ({ ...row }))];
}

function weighted(random: () => number, weights: number[]): number {
  let roll = random() * weights.reduce((sum, weight) => sum + weight, 0);
  for (const [i, weight] of weights.entries()) {
    roll -= weight;
    if (roll < 0) return i;
  }
  return weights.length - 1;
}

/** The UTC instant of local midnight starting `date` in `timezone` (no DST change on that day assumed). */
export function zonedMidnight(date: string, timezone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const wall = Date.parse(`${localParts(guess, timezone).replace(" ", "T")}Z`);
  return guess - (wall - guess);
}

/** `YYYY-MM-DD HH:MM:SS` on the wall clock of `timezone`. */
export const localParts = (ms: number, timezone: string): string => wallClock(ms, timezone).replace("T", " ");
