import { Hono } from "hono";
import type { Hit } from "../../../lib/events/hit";
import { EXTRA_SCRIPTS, PIXEL_JS, PIXEL_JS_HASH } from "../../../tracker/dist/pixel-script";
import { enrich } from "./enrich/enrich";
import { isBot } from "./enrich/bots";
import type { CollectorEnv } from "./env";
import { readHits } from "./hits";
import { saltsFor } from "./salts";
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
    const read = await readHits(c.req.raw);
    if (!read.ok) return c.json({ error: read.error }, read.status);
    const receivedAt = Date.now();
    const kept = await enrichAll(read.hits, c.req.raw, c.env, receivedAt);
    if (kept.rows.length) await c.env.HITS.sendBatch(kept.rows.map((body) => ({ body, contentType: "json" })));
    const headers = new Headers(kept.site ? corsFor(c.req.header("origin"), kept.site) : {});
    if (kept.dropped) headers.set("x-pixel-dropped", kept.dropped);
    return new Response(null, { status: 204, headers });
  });
  app.notFound((c) => c.json({ error: `no such route: ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    console.error(JSON.stringify({ level: "error", message: error.message, path: c.req.path }));
    return c.json({ error: "the collector could not take this hit; it will be retried" }, 503);
  });
  return app;
}

async function enrichAll(hits: Hit[], request: Request, env: CollectorEnv, receivedAt: number) {
  const userAgent = request.headers.get("user-agent") ?? "";
  const result = { rows: [] as Awaited<ReturnType<typeof enrich>>[], site: null as SiteMatch | null, dropped: "" };
  if (isBot(userAgent, request.cf)) return { ...result, dropped: "bot" };
  const salts = await saltsFor(env.SALTS, receivedAt);
  const ip = request.headers.get("cf-connecting-ip") ?? "";
  for (const hit of hits) {
    const url = new URL(hit.url);
    const site = await siteForHost(env.DB, url.hostname);
    if (!site) {
      result.dropped = "unknown-site";
      continue;
    }
    result.site = site;
    const context = { site, salts, ip, userAgent, cf: request.cf as IncomingRequestCfProperties | undefined, receivedAt };
    result.rows.push(await enrich(hit, url, context));
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
