import type { VisitorType } from "@pixel/lib/events/visitor-type";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { localDayNumber } from "@pixel/lib/time";
import { PIXEL_SCRIPT } from "@pixel/tracker/dist/pixel-script";
import { logFor } from "@pixel/lib/log/http";
import { errorFields } from "@pixel/lib/log/log";
import { botReason } from "./enrich/bots";
import { visitorIds } from "./enrich/visitor";
import type { CollectorEnv } from "./env";
import { saltsFor } from "./salts";
import { serveScript } from "./scripts";
import { hostOf, siteForHost } from "./sites";

const DAY_MS = 86_400_000;

/**
 * Counterscale's trick on pixel.js: the script is revalidated on every page load (`no-cache`) and its
 * Last-Modified is a UTC midnight, so the browser's If-Modified-Since says whether it fetched the script on an
 * earlier day. The second of the validator keeps the day's answer (:00 new, :01 returning) for the day's later
 * pages. Nothing is stored in the browser beyond its ordinary HTTP cache, and no cookie is set.
 */
export function visitFrom(ifModifiedSince: string | null, now: number): { type: VisitorType; lastModified: string } {
  const midnight = now - (now % DAY_MS);
  const since = ifModifiedSince ? Date.parse(ifModifiedSince) : NaN;
  if (since >= midnight && since < midnight + DAY_MS) {
    return { type: since - midnight >= 1000 ? "returning" : "new", lastModified: new Date(since).toUTCString() };
  }
  const type = Number.isNaN(since) ? "new" : "returning";
  return { type, lastModified: new Date(midnight + (type === "new" ? 0 : 1000)).toUTCString() };
}

/** What pixel.js learned about a browser, for the hits of its page: the day's type and its visit days (0: not told). */
export type RecalledVisit = Pick<EventRow, "visitor_type" | "first_visit" | "previous_visit">;

export const UNKNOWN_VISIT: RecalledVisit = { visitor_type: "", first_visit: 0, previous_visit: 0 };

/** The visit days in pixel.js's ETag: `.d<first>-<last>` after the script's own tag, site-calendar day numbers. */
const DAYS_TAG = /\.d(\d{1,5})-(\d{1,5})"/;

/**
 * A browser's visit days from pixel.js's If-None-Match, and the ETag suffix that carries them on: its first-seen day,
 * and its latest page load before this one (`previous`: today for the day's later pages, 0 for a browser's first).
 * Two dates shared by everyone who came on those days, never a value of its own (docs/ingestion.md).
 */
export function visitDaysFrom(ifNoneMatch: string | null, today: number): { first: number; previous: number; tag: string } {
  const echoed = DAYS_TAG.exec(ifNoneMatch ?? "");
  const first = Number(echoed?.[1] ?? 0);
  const last = Number(echoed?.[2] ?? 0);
  if (!first || first > last || first > today) return { first: today, previous: 0, tag: daysTag(today, today) };
  return { first, previous: Math.min(last, today), tag: daysTag(first, today) };
}

const daysTag = (first: number, last: number) => `d${first}-${last}`;

/** The suffix of an ETag the browser echoed, kept as it was when the page's site is unknown. */
const echoedDaysTag = (ifNoneMatch: string | null): string => {
  const echoed = DAYS_TAG.exec(ifNoneMatch ?? "");
  return echoed ? daysTag(Number(echoed[1]), Number(echoed[2])) : "";
};

/**
 * The hits that follow pixel.js learn its answer through the edge cache, under the daily visitor hash (the id the
 * hits' rows carry anyway), until the next UTC midnight. The key's host can never be asked for, so no request from
 * outside reaches these entries through the zone's cache.
 */
const cacheKey = (visitorId: string) => new Request(`https://visitor-type.pixel.invalid/${visitorId}`);

export async function rememberVisit(visitorId: string, visit: RecalledVisit, now: number): Promise<void> {
  const maxAge = Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000));
  const text = `${visit.visitor_type} ${visit.first_visit} ${visit.previous_visit}`;
  await caches.default.put(cacheKey(visitorId), new Response(text, { headers: { "cache-control": `max-age=${maxAge}` } }));
}

/** One Cache API match: the caller asks once per visitor and request (app.ts). */
export async function recallVisit(visitorId: string): Promise<RecalledVisit> {
  const text = await (await caches.default.match(cacheKey(visitorId)))?.text();
  const [type, first, previous] = (text ?? "").split(" ");
  if (type !== "new" && type !== "returning") return UNKNOWN_VISIT;
  return { visitor_type: type, first_visit: Number(first) || 0, previous_visit: Number(first) ? Number(previous) || 0 : 0 };
}

/** pixel.js with the day's validators; the answer is remembered for the hits of the page that asked (its Referer). */
export async function servePixelScript(request: Request, env: CollectorEnv): Promise<Response> {
  const now = Date.now();
  const ifNoneMatch = request.headers.get("if-none-match");
  const visit = visitFrom(request.headers.get("if-modified-since"), now);
  let tag = echoedDaysTag(ifNoneMatch);
  try {
    const visitor = await pixelVisitor(request, env, now);
    if (visitor) {
      const days = visitDaysFrom(ifNoneMatch, localDayNumber(now, visitor.timezone));
      tag = days.tag;
      await rememberVisit(visitor.id, { visitor_type: visit.type, first_visit: days.first, previous_visit: days.previous }, now);
    }
  } catch (error) {
    logFor(request, "collector").error("visitor type not remembered", errorFields(error));
  }
  return serveScript(request, PIXEL_SCRIPT, { lastModified: visit.lastModified, tag });
}

/** Today's visitor id of the browser asking for pixel.js, and its site's timezone; null for a bot or an unknown page. */
async function pixelVisitor(request: Request, env: CollectorEnv, now: number): Promise<{ id: string; timezone: string } | null> {
  const userAgent = request.headers.get("user-agent") ?? "";
  const page = hostOf(request.headers.get("referer"));
  if (!page || botReason(userAgent, request.cf as IncomingRequestCfProperties | undefined)) return null;
  const site = await siteForHost(env.DB, page);
  if (!site) return null;
  const salts = await saltsFor(env.SALTS, now);
  const { visitor_id } = await visitorIds(salts.current, site.id, request.headers.get("cf-connecting-ip") ?? "", userAgent);
  return { id: visitor_id, timezone: site.timezone };
}
