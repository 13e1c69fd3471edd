import { Hono } from "hono";
import { EXTRA_SCRIPTS } from "@pixel/tracker/dist/pixel-script";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { compactRow, type DropMessage } from "@pixel/lib/events/message";
import { queueMessages } from "./queue";
import { serveScript } from "./scripts";
import { recallVisit, type RecalledVisit, servePixelScript } from "./returning";
import { limitedAddress, refusedAllowed, TOO_MANY_REFUSED, tooManyHits, visitorLimiter } from "./limits";
import { countDrops, DropTally, lostDrop, type WaitUntil } from "./drops";
import { enrich } from "./enrich/enrich";
import { ipHash, visitorIds, type VisitorIds } from "./enrich/visitor";
import { botReason } from "./enrich/bots";
import type { CollectorEnv } from "./env";
import { readHits, readPixel, type HitsResult } from "./hits";
import { PLAUSIBLE_EVENT_PATH, readPlausibleEvent, visitorRequest } from "./plausible-event";
import { saltsFor } from "./salts";
import { collectorHealth } from "./health";
import { healthResponse } from "@pixel/lib/health/health";
import { logFor } from "@pixel/lib/log/http";
import { pathOf } from "@pixel/lib/http/path";
import { errorFields } from "@pixel/lib/log/log";
import { clientHintsFrom } from "./enrich/user-agent";
import { shieldFor } from "./shields";
import { belongsToSite, hostOf, siteForHost, type SiteMatch } from "./sites";
import { withoutPersonalData } from "./personal";

type Router = Hono<{ Bindings: CollectorEnv }>;

export interface CollectorRoutes {
  basePath: string;
  scriptName: string;
  endpoint: string;
}

export function routesFrom(env: CollectorEnv): CollectorRoutes {
  return {
    basePath: `/${(env.PIXEL_BASE_PATH ?? "/telemetry").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, ""),
    scriptName: (env.PIXEL_SCRIPT_NAME ?? "pixel.js").replace(/^\/+/, ""),
    endpoint: (env.PIXEL_ENDPOINT ?? "e").replace(/^\/+/, ""),
  };
}

export interface Collector {
  fetch(request: Request, env: CollectorEnv, ctx: ExecutionContext): Response | Promise<Response>;
}

/** Hits, nearly every request the collector gets, go straight to their handler; the router takes the rest. */
export function createCollector(routes: CollectorRoutes): Collector {
  const router = createRouter(routes);
  const hitsPath = `${routes.basePath}/${routes.endpoint}`;
  return {
    fetch(request, env, ctx) {
      if (request.method !== "POST" || pathOf(request.url) !== hitsPath) return router.fetch(request, env, ctx);
      return takeHits(request, env, ctx).catch((error: unknown) => failed(error, request));
    },
  };
}

function failed(error: unknown, request: Request): Response {
  logFor(request, "collector").error("request failed", errorFields(error));
  return Response.json({ error: "the collector could not take this hit; it will be retried" }, { status: 503 });
}

function createRouter(routes: CollectorRoutes): Router {
  const app: Router = new Hono<{ Bindings: CollectorEnv }>().basePath(routes.basePath || "/");
  app.get(`/${routes.scriptName}`, (c) => servePixelScript(c.req.raw, c.env));
  for (const [name, script] of Object.entries(EXTRA_SCRIPTS)) {
    app.get(`/${name}`, (c) => serveScript(c.req.raw, script));
  }
  app.get("/health", async (c) => healthResponse(await collectorHealth(c.env)));
  app.options(`/${routes.endpoint}`, (c) => preflight(c.req.raw));
  app.post(PLAUSIBLE_EVENT_PATH, (c) => takePlausibleEvent(c.req.raw, c.env, c.executionCtx));
  app.options(PLAUSIBLE_EVENT_PATH, (c) => preflight(c.req.raw));
  // POST <base>/<endpoint> is answered before the router (createCollector).
  app.get(`/${routes.endpoint}.gif`, (c) => takePixel(c.req.raw, c.env, c.executionCtx));
  app.on(["GET", "POST", "OPTIONS"], "/:name", async (c) => (await siteRoute(c.req.param("name"), c.req.raw, c.env, c.executionCtx)) ?? notFound(c.req.raw));
  app.notFound((c) => notFound(c.req.raw));
  app.onError((error, c) => failed(error, c.req.raw));
  return app;
}

const notFound = (request: Request) => Response.json({ error: `no such route: ${request.method} ${new URL(request.url).pathname}` }, { status: 404 });

/** A site's own script and endpoint names (D1 `script_name`, `endpoint_name`), answered on the site's own hosts. */
async function siteRoute(name: string, request: Request, env: CollectorEnv, ctx: WaitUntil): Promise<Response | null> {
  const site = await siteForHost(env.DB, new URL(request.url).hostname);
  if (!site) return null;
  if (request.method === "GET" && name === site.scriptName) return servePixelScript(request, env);
  if (request.method === "GET" && name === `${site.endpointName}.gif`) return takePixel(request, env, ctx);
  if (request.method === "POST" && name === site.endpointName) return takeHits(request, env, ctx);
  if (request.method === "OPTIONS" && name === site.endpointName) return preflight(request);
  return null;
}

const preflight = (request: Request) => new Response(null, { status: 204, headers: corsHeaders(request.headers.get("origin") ?? undefined) });

async function takeHits(request: Request, env: CollectorEnv, ctx: WaitUntil): Promise<Response> {
  return answerTaken(await take(await readHits(request), request, env, ctx), request, { status: 204, body: null });
}

/** Plausible's Events API: the same checks, enrichment, limits and drop counts as any hit; 202 "ok" as Plausible answers. */
async function takePlausibleEvent(request: Request, env: CollectorEnv, ctx: WaitUntil): Promise<Response> {
  const taken = await take(await readPlausibleEvent(request), visitorRequest(request, env), env, ctx);
  return answerTaken(taken, request, { status: 202, body: "ok" });
}

function answerTaken(taken: Taken, request: Request, accepted: { status: 202 | 204; body: string | null }): Response {
  if ("error" in taken) return refusal(taken);
  const headers: Record<string, string> = taken.site ? corsFor(request.headers.get("origin") ?? undefined, taken.site) : {};
  if (taken.dropped) headers["x-pixel-dropped"] = taken.dropped;
  if (taken.limited) return Response.json({ error: taken.limited }, { status: 429, headers });
  return new Response(accepted.body, { status: accepted.status, headers });
}

async function takePixel(request: Request, env: CollectorEnv, ctx: WaitUntil): Promise<Response> {
  const read = readPixel(new URL(request.url).searchParams, request.headers.get("referer"));
  const taken = await take(read, request, env, ctx);
  if ("error" in taken) return refusal(taken);
  if (taken.limited) return Response.json({ error: taken.limited }, { status: 429, headers: { "x-pixel-dropped": taken.dropped } });
  const headers = new Headers({ "content-type": "image/gif", "cache-control": "no-store, max-age=0" });
  if (taken.dropped) headers.set("x-pixel-dropped", taken.dropped);
  return new Response(TRANSPARENT_GIF, { status: 200, headers });
}

/** The smallest transparent 1×1 GIF. */
const TRANSPARENT_GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (char) => char.charCodeAt(0));

type Refused = { error: string; status: 400 | 413 | 429 };
type Taken = Refused | { site: SiteMatch | null; dropped: string; limited: string | null };

const refusal = ({ error, status }: Refused) => Response.json({ error }, { status, headers: status === 429 ? { "retry-after": "60" } : {} });

/**
 * Queues the enriched hits and counts the rest. The hits' send is awaited: if it fails the sender is
 * told (503) and resends the same event ids, which storage collapses; answering first would lose them.
 */
async function take(read: HitsResult, request: Request, env: CollectorEnv, ctx: WaitUntil): Promise<Taken> {
  const receivedAt = Date.now();
  const drops = new DropTally(receivedAt);
  if (!read.ok) {
    if (!(await refusedAllowed(env, ipOf(request), receivedAt))) return { error: TOO_MANY_REFUSED, status: 429 };
    await countRefused(drops, read, request, env);
    countDrops(env, ctx, drops);
    return { error: read.error, status: read.status };
  }
  const kept = await enrichAll(read, request, env, receivedAt, drops);
  // At most 50 rows and 50 store_full counts, packed into one queue message or a few (queue.ts).
  if (kept.rows.length) await queueMessages(env, [...kept.rows.map(compactRow), ...kept.lost]);
  else if (!kept.limited && !(await refusedAllowed(env, ipOf(request), receivedAt))) return { error: TOO_MANY_REFUSED, status: 429 };
  countDrops(env, ctx, drops);
  return { site: kept.site, dropped: drops.reasons, limited: kept.limited ? tooManyHits(kept.limited) : null };
}

const ipOf = (request: Request) => request.headers.get("cf-connecting-ip") ?? "";

/** A refused body names no site we can trust; the page that sent it (Origin, else Referer) does. */
async function countRefused(drops: DropTally, read: Extract<HitsResult, { ok: false }>, request: Request, env: CollectorEnv) {
  const host = hostOf(request.headers.get("origin")) ?? hostOf(request.headers.get("referer")) ?? "";
  const site = host ? await siteForHost(env.DB, host) : null;
  drops.add(read.status === 413 ? "too_large" : "invalid", site?.id ?? "", host, read.detail);
}

async function enrichAll({ hits, urls, revenueLeftOut }: Extract<HitsResult, { ok: true }>, request: Request, env: CollectorEnv, receivedAt: number, drops: DropTally) {
  const userAgent = request.headers.get("user-agent") ?? "";
  const hints = request.headers.has("sec-ch-ua-platform") ? clientHintsFrom(request.headers) : undefined;
  const cf = request.cf as IncomingRequestCfProperties | undefined;
  const result = { rows: [] as EventRow[], lost: [] as DropMessage[], site: null as SiteMatch | null, limited: 0 };
  const bot = botReason(userAgent, cf);
  const salts = bot ? null : await saltsFor(env.SALTS, receivedAt);
  const ip = ipOf(request);
  const todaysIpHash = salts ? await ipHash(salts.current, ip) : "";
  const address = limitedAddress(ip);
  const allowed = salts && visitorLimiter(env.VISITOR_LIMIT, address === ip ? todaysIpHash : await ipHash(salts.current, address));
  // Today's ids and pixel.js's answer, once per site of the request: a batch's hits share them.
  const visitors = new Map<string, Promise<{ todays: VisitorIds; visit: RecalledVisit }>>();
  const visitorOn = (siteId: string, salt: string) => {
    if (!visitors.has(siteId)) {
      visitors.set(siteId, visitorIds(salt, siteId, ip, userAgent, todaysIpHash).then(async (todays) => ({ todays, visit: await recallVisit(todays.visitor_id) })));
    }
    return visitors.get(siteId)!;
  };
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    const url = urls[i]!;
    const site = await siteForHost(env.DB, url.hostname);
    const shield = site && shieldFor(site.shields, { ip, country: cf?.country ?? "", hostname: url.hostname, pathname: url.pathname });
    if (!site) drops.add("unknown_site", "", url.hostname);
    else if (shield) drops.add("shield", site.id, url.hostname, shield);
    else if (!salts || !allowed) drops.add("bot", site.id, url.hostname, bot ?? "");
    else if (!(await allowed(site.id))) {
      drops.add("rate_limited", site.id, url.hostname);
      result.limited++;
    } else {
      const stored = withoutPersonalData(hit, (reason, detail) => drops.add(reason, site.id, url.hostname, detail));
      if (revenueLeftOut[i] !== undefined) drops.add("invalid_revenue", site.id, url.hostname, revenueLeftOut[i]);
      const { todays, visit } = await visitorOn(site.id, salts.current);
      result.rows.push(await enrich(stored, url, { site, salts, ip, todays, userAgent, hints, cf, receivedAt, visit, bridges: env.BRIDGE, links: env.LINKS }));
      if (hit.lost) result.lost.push(lostDrop(hit.id, hit.lost, site.id, url.hostname, receivedAt));
    }
    result.site = site ?? result.site;
  }
  return result;
}

/** Cross-origin hits are answered only for the site's own hostnames. */
function corsFor(origin: string | undefined, site: SiteMatch): Record<string, string> {
  if (!origin) return {};
  try {
    return belongsToSite(site, new URL(origin).hostname) ? corsHeaders(origin) : {};
  } catch {
    return {};
  }
}

function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type",
    "access-control-max-age": "86400",
    vary: "Origin",
  };
}
