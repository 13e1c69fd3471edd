import type { VisitorType } from "../../../lib/events/visitor-type";
import { PIXEL_SCRIPT } from "../../../tracker/dist/pixel-script";
import { logFor } from "../../../lib/log/http";
import { errorFields } from "../../../lib/log/log";
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

export interface VisitorKey {
  salt: string;
  siteId: string;
  ip: string;
  userAgent: string;
}

/**
 * The hits that follow pixel.js learn the day's answer through the edge cache, under the daily visitor hash (the
 * id the hits' rows carry anyway), until the next UTC midnight. The key's host can never be asked for, so no request
 * from outside reaches these entries through the zone's cache.
 */
async function cacheKey(key: VisitorKey): Promise<Request> {
  const { visitor_id } = await visitorIds(key.salt, key.siteId, key.ip, key.userAgent);
  return new Request(`https://visitor-type.pixel.invalid/${visitor_id}`);
}

export async function rememberVisitorType(key: VisitorKey, type: VisitorType, now: number): Promise<void> {
  const maxAge = Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000));
  await caches.default.put(await cacheKey(key), new Response(type, { headers: { "cache-control": `max-age=${maxAge}` } }));
}

export async function recallVisitorType(key: VisitorKey): Promise<VisitorType | ""> {
  const text = await (await caches.default.match(await cacheKey(key)))?.text();
  return text === "new" || text === "returning" ? text : "";
}

/** pixel.js with the day's validator; the answer is remembered for the hits of the page that asked (its Referer). */
export async function servePixelScript(request: Request, env: CollectorEnv): Promise<Response> {
  const now = Date.now();
  const visit = visitFrom(request.headers.get("if-modified-since"), now);
  try {
    const key = await pixelVisitorKey(request, env, now);
    if (key) await rememberVisitorType(key, visit.type, now);
  } catch (error) {
    logFor(request, "collector").error("visitor type not remembered", errorFields(error));
  }
  return serveScript(request, PIXEL_SCRIPT, visit.lastModified);
}

async function pixelVisitorKey(request: Request, env: CollectorEnv, now: number): Promise<VisitorKey | null> {
  const userAgent = request.headers.get("user-agent") ?? "";
  const page = hostOf(request.headers.get("referer"));
  if (!page || botReason(userAgent, request.cf as IncomingRequestCfProperties | undefined)) return null;
  const site = await siteForHost(env.DB, page);
  if (!site) return null;
  const salts = await saltsFor(env.SALTS, now);
  return { salt: salts.current, siteId: site.id, ip: request.headers.get("cf-connecting-ip") ?? "", userAgent };
}
