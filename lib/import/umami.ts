import { hash64 } from "../events/hash";
import { pageFrom } from "../events/page";
import type { EventRow } from "../clickhouse/tables/events";
import { belongsToSite, trafficFrom } from "../events/traffic";
import { LineError, type ImportSite } from "./site";

/**
 * Imported Umami events' ids start so. Their visitor ids are Umami's sessions, which last up to a month, not a UTC day:
 * the daily rollups leave days holding them to the raw rows (workers/api/src/stats/rollups/roll.ts).
 */
export const UMAMI_EVENT_PREFIX = "umami_";

/** Umami's `website_event` columns an import needs; the others (utm_*, click ids, page_title, geo) are used when present. */
export const UMAMI_COLUMNS = ["website_id", "session_id", "event_id", "url_path", "event_type", "created_at"] as const;

/** Umami's browser names (detect-browser) → ours (ua-parser-js, as the collector stores them). */
const BROWSERS: Record<string, string> = {
  chrome: "Chrome",
  crios: "Chrome",
  "chromium-webview": "Chrome WebView",
  firefox: "Firefox",
  fxios: "Firefox",
  safari: "Safari",
  ios: "Mobile Safari",
  "ios-webview": "Mobile Safari",
  edge: "Edge",
  "edge-chromium": "Edge",
  "edge-ios": "Edge",
  opera: "Opera",
  "opera-mini": "Opera Mini",
  samsung: "Samsung Internet",
  yandexbrowser: "Yandex",
  android: "Android Browser",
  facebook: "Facebook",
  instagram: "Instagram",
  silk: "Silk",
  ie: "IE",
  miui: "MIUI Browser",
  "beaker": "Beaker",
};

/** Umami's OS names → ours, with the version Umami folds into the name ("Windows 10"). */
function operatingSystem(name: string): { os: string; os_version: string } {
  const windows = /^Windows (.+)$/.exec(name);
  if (windows) return { os: "Windows", os_version: windows[1]! };
  const mapped: Record<string, string> = { "Android OS": "Android", "Chrome OS": "Chromium OS", "Mac OS": "Mac OS", iOS: "iOS", Linux: "Linux" };
  return { os: mapped[name] ?? name, os_version: "" };
}

/** Umami counts laptops apart; our device types are desktop, mobile, tablet and other. */
const DEVICES: Record<string, string> = { desktop: "desktop", laptop: "desktop", mobile: "mobile", tablet: "tablet" };

const CLICK_IDS = ["gclid", "fbclid", "msclkid", "ttclid", "li_fat_id", "twclid"];

/** One Umami `website_event` row → one of our events, the same every time it is imported. */
export async function umamiEvent(values: Record<string, string>, site: ImportSite): Promise<EventRow> {
  const get = (column: string) => (values[column] ?? "").trim();
  const name = eventName(get("event_type"), get("event_name"));
  const timestamp = umamiTime(get("created_at"));
  const sessionKey = get("session_id");
  if (!sessionKey) throw new LineError("session_id: empty");
  const hostname = get("hostname") || site.domain;
  const path = get("url_path") || "/";
  const query = get("url_query").replace(/^\?/, "");
  let page: URL;
  try {
    page = new URL(`https://${hostname}${path.startsWith("/") ? "" : "/"}${path}${query ? `?${query}` : ""}`);
  } catch {
    throw new LineError(`hostname, url_path: not a page address`);
  }
  const campaign = new URL(page);
  for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", ...CLICK_IDS]) {
    if (get(key) && !campaign.searchParams.has(key)) campaign.searchParams.set(key, get(key));
  }
  const referrerHost = get("referrer_domain");
  const referrer = referrerHost ? `https://${referrerHost}${get("referrer_path") || "/"}` : undefined;
  const subdivision = get("subdivision1");
  const [width] = get("screen").split("x");
  const browser = get("browser");
  return {
    site_id: site.id,
    timestamp,
    event_id: `${UMAMI_EVENT_PREFIX}${get("event_id") || (await hash64(JSON.stringify(values)))}`,
    name,
    visitor_id: await cachedHash(site.id, sessionKey),
    session_id: await cachedHash(site.id, get("visit_id") || sessionKey),
    user_id: "",
    visitor_type: "",
    first_visit: 0,
    previous_visit: 0,
    ...pageFrom(page),
    title: get("page_title").slice(0, 300),
    ...trafficFrom(campaign, referrer, (host) => belongsToSite(site, host)),
    country: /^[A-Z]{2}$/.test(get("country")) ? get("country") : "",
    region_code: subdivision.replace(/^[A-Z]{2}-/, ""),
    region: subdivision,
    city: get("city"),
    continent: "",
    timezone: "",
    asn: 0,
    as_org: "",
    browser: BROWSERS[browser] ?? browser,
    browser_version: "",
    ...operatingSystem(get("os")),
    device_type: DEVICES[get("device")] ?? (get("device") ? "other" : ""),
    device_vendor: "",
    device_model: "",
    webview: "",
    linked_source: "",
    linked_channel: "",
    screen_width: Math.min(Number(width) || 0, 65535),
    scroll_depth: 0,
    engaged_ms: 0,
    revenue_amount: "0",
    revenue_currency: "",
    props: {},
    ip_hash: "0",
    retention_days: site.retentionDays,
  };
}

/** A visit's rows come together in an export: hash each Umami id once. */
const hashes = new Map<string, string>();
async function cachedHash(siteId: string, umamiId: string): Promise<string> {
  const key = `${siteId}\u0000${umamiId}`;
  let hash = hashes.get(key);
  if (hash === undefined) {
    hash = await hash64(siteId, "umami", umamiId);
    if (hashes.size >= 50_000) hashes.clear();
    hashes.set(key, hash);
  }
  return hash;
}

/** event_type 1 is a pageview; the others (custom, link and pixel events) carry a name. */
function eventName(type: string, name: string): string {
  if (type === "1") return "pageview";
  if (!/^\d+$/.test(type)) throw new LineError(`event_type: ${JSON.stringify(type)} is not a number`);
  if (!name) throw new LineError("event_name: empty for a custom event");
  return name.slice(0, 100);
}

/** ClickHouse (`2024-05-01 12:34:56`) and Postgres (`2024-05-01T12:34:56.000Z`) exports; no zone means UTC. */
function umamiTime(text: string): number {
  const iso = text.replace(" ", "T");
  const time = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  if (!/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(text) || Number.isNaN(time)) throw new LineError(`created_at: ${JSON.stringify(text)} is not a date-time`);
  return time;
}
