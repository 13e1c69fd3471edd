import { Hono } from "hono";
import type { Hit } from "../../../lib/events/hit";
import { EXTRA_SCRIPTS, PIXEL_JS, PIXEL_JS_HASH } from "../../../tracker/dist/pixel-script";
import type { EventRow } from "../../../lib/events/row";
import { compactRow } from "../../../lib/events/message";
import { queueMessages } from "./queue";
import { countDrops, DropTally, type WaitUntil } from "./drops";
import { enrich } from "./enrich/enrich";
import { botReason } from "./enrich/bots";
import type { CollectorEnv } from "./env";
import { readHits, readPixel, type HitsResult } from "./hits";
import { saltsFor } from "./salts";
import { clientHintsFrom } from "./enrich/user-agent";
import { shieldFor } from "./shields";
import { belongsToSite, siteForHost, type SiteMatch } from "./sites";

type Collector = Hono<{ Bindings: CollectorEnv }>;

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

export function createCollector(routes: CollectorRoutes): Collector {
  const app: Collector = new Hono<{ Bindings: CollectorEnv }>().basePath(routes.basePath || "/");
  app.get(`/${routes.scriptName}`, (c) => serveScript(c.req.raw, PIXEL_JS, PIXEL_JS_HASH));
  for (const [name, script] of Object.entries(EXTRA_SCRIPTS)) {
    app.get(`/${name}`, (c) => serveScript(c.req.raw, script.js, script.hash));
  }
  app.get("/health", (c) => c.json({ ok: true }));
  app.options(`/${routes.endpoint}`, (c) => new Response(null, { status: 204, headers: corsHeaders(c.req.header("origin")) }));
  app.post(`/${routes.endpoint}`, async (c) => {
    const taken = await take(await readHits(c.req.raw), c.req.raw, c.env, c.executionCtx);
    if ("error" in taken) return c.json({ error: taken.error }, taken.status);
    const headers = new Headers(taken.site ? corsFor(c.req.header("origin"), taken.site) : {});
    if (taken.dropped) headers.set("x-pixel-dropped", taken.dropped);
    return new Response(null, { status: 204, headers });
  });
  app.get(`/${routes.endpoint}.gif`, async (c) => {
    const read = readPixel(new URL(c.req.url).searchParams, c.req.header("referer") ?? null);
    const taken = await take(read, c.req.raw, c.env, c.executionCtx);
    if ("error" in taken) return c.json({ error: taken.error }, taken.status);
    const headers = new Headers({ "content-type": "image/gif", "cache-control": "no-store, max-age=0" });
    if (taken.dropped) headers.set("x-pixel-dropped", taken.dropped);
    return new Response(TRANSPARENT_GIF, { status: 200, headers });
  });
  app.notFound((c) => c.json({ error: `no such route: ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    console.error(JSON.stringify({ level: "error", message: error.message, path: c.req.path }));
    return c.json({ error: "the collector could not take this hit; it will be retried" }, 503);
  });
  return app;
}

/** The smallest transparent 1×1 GIF. */
const TRANSPARENT_GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (char) => char.charCodeAt(0));

type Taken = { error: string; status: 400 | 413 } | { site: SiteMatch | null; dropped: string };

/**
 * Queues the enriched hits and counts the rest. The hits' send is awaited: if it fails the sender is
 * told (503) and resends the same event ids, which storage collapses; answering first would lose them.
 */
async function take(read: HitsResult, request: Request, env: CollectorEnv, ctx: WaitUntil): Promise<Taken> {
  const receivedAt = Date.now();
  const drops = new DropTally(receivedAt);
  if (!read.ok) {
    await countRefused(drops, read.status === 413 ? "too_large" : "invalid", request, env);
    countDrops(env, ctx, drops.messages);
    return { error: read.error, status: read.status };
  }
  const kept = await enrichAll(read.hits, request, env, receivedAt, drops);
  if (kept.rows.length) await queueMessages(env.HITS, kept.rows.map(compactRow));
  countDrops(env, ctx, drops.messages);
  return { site: kept.site, dropped: drops.reasons };
}

/** A refused body names no site we can trust; the page that sent it (Origin, else Referer) does. */
async function countRefused(drops: DropTally, reason: "invalid" | "too_large", request: Request, env: CollectorEnv) {
  const host = hostOf(request.headers.get("origin")) ?? hostOf(request.headers.get("referer")) ?? "";
  const site = host ? await siteForHost(env.DB, host) : null;
  drops.add(reason, site?.id ?? "", host);
}

function hostOf(value: string | null): string | null {
  if (!value) return null;
  try {
    return new URL(value).hostname || null;
  } catch {
    return null;
  }
}

async function enrichAll(hits: Hit[], request: Request, env: CollectorEnv, receivedAt: number, drops: DropTally) {
  const userAgent = request.headers.get("user-agent") ?? "";
  const hints = request.headers.has("sec-ch-ua-platform") ? clientHintsFrom(request.headers) : undefined;
  const cf = request.cf as IncomingRequestCfProperties | undefined;
  const result = { rows: [] as EventRow[], site: null as SiteMatch | null };
  const bot = botReason(userAgent, cf);
  const salts = bot ? null : await saltsFor(env.SALTS, receivedAt);
  const ip = request.headers.get("cf-connecting-ip") ?? "";
  for (const hit of hits) {
    const url = new URL(hit.url);
    const site = await siteForHost(env.DB, url.hostname);
    const shield = site && shieldFor(site.shields, { ip, country: cf?.country ?? "", hostname: url.hostname, pathname: url.pathname });
    if (!site) drops.add("unknown_site", "", url.hostname);
    else if (shield) drops.add("shield", site.id, url.hostname, shield);
    else if (!salts) drops.add("bot", site.id, url.hostname, bot ?? "");
    else result.rows.push(await enrich(hit, url, { site, salts, ip, userAgent, hints, cf, receivedAt, bridges: env.BRIDGE, links: env.LINKS }));
    result.site = site ?? result.site;
  }
  return result;
}

function serveScript(request: Request, js: string, hash: string): Response {
  const etag = `"${hash}"`;
  const headers = {
    "content-type": "application/javascript; charset=utf-8",
    "cache-control": "public, max-age=3600, stale-while-revalidate=86400",
    etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(js, { headers });
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
