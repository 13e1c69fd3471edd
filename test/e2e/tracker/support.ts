import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { closeServer, listen, proxy } from "@pixel/dev/stack/proxy";
import { startStack, type Stack } from "@pixel/dev/stack/index";
import { launchBrowser } from "../../support/chromium";
import { apiSession } from "../../support/sign-in";
import { testClickHouse, testClickHousePasswords } from "../../support/clickhouse";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const DATABASE = "pixel_test_tracker";
const ADMIN_PASSWORD = "tracker-e2e-password";
/** The queue waits up to 2 s before it hands a batch to the flusher; rows arriving later than this would be extra. */
const SETTLE_MS = 4_000;

export interface StoredEvent {
  event_id: string;
  name: string;
  pathname: string;
  query: string;
  title: string;
  referrer: string;
  user_id: string;
  visitor_type: string;
  scroll_depth: number;
  engaged_ms: number;
  props: Record<string, string>;
  /** The Decimal(18, 4) as ClickHouse writes it: exact, without trailing zeros. */
  revenue_amount: string;
  revenue_currency: string;
}

export interface StatsRow {
  dimensions: string[];
  metrics: number[];
}

/** A site with the seed's snippet, its /telemetry/* routed to the local collector, and what reached ClickHouse. */
export interface TrackerRig {
  /** The customer's site, on `localhost` (a registered site). */
  siteUrl: string;
  /** Another origin for outbound links (127.0.0.1 is not the site's host). */
  elsewhereUrl: string;
  /** A path prefix of its own for one test, so its rows can be counted exactly. */
  prefix(name: string): string;
  /** Every stored event under the prefix (deduplicated, as queries read it), once no more are arriving. */
  storedEvents(prefix: string, expected: number): Promise<StoredEvent[]>;
  /** Rows as inserted, before deduplication by event id: a resent hit shows up here twice. */
  insertedRows(prefix: string): Promise<number>;
  /**
   * From now on the site holds every hit request unanswered, as a collector that stalls; `fail()` then answers them
   * 503 and lets later ones through, so they fail even with no page left to hear it (a browser's routing can't).
   */
  stallSends(): { stalled: () => number; fail: () => void };
  /** The api's answer to a stats query (`POST /api/v2/query`) on the site, asked by its admin. */
  stats(query: Record<string, unknown>): Promise<StatsRow[]>;
  /** Hits counted as dropped for `reason` by the drop rows with these ids (deduplicated, as the drops report reads them). */
  droppedHits(reason: string, dropIds: string[]): Promise<number>;
  /** Drop counts for `reason` since `since` (ms since epoch), per detail, deduplicated. */
  dropsSince(reason: string, since: number): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startTrackerRig(): Promise<TrackerRig> {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-tracker-e2e-"));
  const stack: Stack = await startStack({
    dataDir,
    ports: { clickhouse: 0, collector: 0, api: 0, dashboard: 0, demo: 0 },
    adminPassword: ADMIN_PASSWORD,
    sessionSecret: "tracker-e2e-session-secret-long-enough",
    clickHouse: testClickHouse(DATABASE),
    clickHousePasswords: testClickHousePasswords(),
    dashboard: "static",
    log: () => {},
  });
  let stalled: http.ServerResponse[] | null = null;
  const site = await startSite(stack.urls.collector, (response) => (stalled ? stalled.push(response) > 0 : false));
  const clickHouse = connectClickHouse(testClickHouse(DATABASE));
  let cookie: string | undefined;
  const select = <T>(sql: string, prefix: string) => selectRows<T>(clickHouse, sql, { pattern: `${prefix}/%` });
  const storedEvents = (prefix: string) =>
    select<StoredEvent>(
      `SELECT event_id, name, pathname, query, title, referrer, user_id, visitor_type, scroll_depth, engaged_ms, props,
              toString(revenue_amount) AS revenue_amount, revenue_currency
       FROM events FINAL WHERE pathname LIKE {pattern:String} ORDER BY timestamp, name`,
      prefix,
    );
  return {
    siteUrl: `http://localhost:${site.port}`,
    elsewhereUrl: `http://127.0.0.1:${site.port}`,
    prefix: (name) => `/${name}-${randomUUID().slice(0, 8)}`,
    storedEvents: (prefix, expected) => settled(() => storedEvents(prefix), expected),
    insertedRows: async (prefix) =>
      (await select<{ rows: number }>("SELECT count() AS rows FROM events WHERE pathname LIKE {pattern:String}", prefix))[0]!.rows,
    stallSends: () => {
      const held: http.ServerResponse[] = (stalled = []);
      return {
        stalled: () => held.length,
        fail: () => {
          stalled = null;
          for (const response of held) response.writeHead(503, { "content-type": "application/json" }).end('{"error":"stalled"}');
        },
      };
    },
    stats: async (query) => {
      cookie ??= await apiSession(stack.urls.api, stack.admin.email, ADMIN_PASSWORD);
      const response = await fetch(`${stack.urls.api}/api/v2/query`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: stack.urls.api, cookie },
        body: JSON.stringify({ site_id: stack.siteId, ...query }),
      });
      if (!response.ok) throw new Error(`stats query answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { results: StatsRow[] }).results;
    },
    droppedHits: async (reason, dropIds) => {
      const sql = "SELECT sum(hits) AS hits FROM dropped_hits FINAL WHERE reason = {reason:String} AND drop_id IN {ids:Array(String)}";
      return Number((await selectRows<{ hits: number | string }>(clickHouse, sql, { reason, ids: dropIds }))[0]?.hits ?? 0);
    },
    dropsSince: async (reason, since) => {
      const sql = `SELECT detail, sum(hits) AS hits FROM dropped_hits FINAL
                   WHERE reason = {reason:String} AND timestamp >= fromUnixTimestamp64Milli({since:Int64}) GROUP BY detail`;
      const rows = await selectRows<{ detail: string; hits: number | string }>(clickHouse, sql, { reason, since });
      return Object.fromEntries(rows.map((row) => [row.detail, Number(row.hits)]));
    },
    stop: async () => {
      await clickHouse.close();
      await closeServer(site.server);
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for `expected` rows, then long enough for any extra row to land too. */
async function settled<T>(read: () => Promise<T[]>, expected: number, timeoutMs = 30_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await read();
  while (rows.length < expected && Date.now() < deadline) {
    await sleep(250);
    rows = await read();
  }
  await sleep(SETTLE_MS);
  return read();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves the fixture pages for any path, a file to download, a page on the other origin, and proxies /telemetry/*. */
async function startSite(collectorUrl: string, stall: (response: http.ServerResponse) => boolean): Promise<{ server: http.Server; port: number }> {
  const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
  const pages = { full: fixture("page.html"), bare: fixture("no-pageview.html") };
  let port = 0;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://site");
    if (url.pathname == "/telemetry/e" && request.method == "POST" && stall(response)) return;
    if (url.pathname.startsWith("/telemetry/")) return proxy(request, response, collectorUrl);
    request.resume();
    if (request.headers.host?.startsWith("127.0.0.1")) {
      response.writeHead(200, { "content-type": "text/html" }).end("<title>Elsewhere</title><p>Another site.</p>");
    } else if (url.pathname.startsWith("/files/")) {
      response.writeHead(200, { "content-type": "application/pdf", "content-disposition": "attachment" }).end("%PDF-1.4\n");
    } else {
      const template = url.pathname.includes("/bare/") ? pages.bare : pages.full;
      const html = template
        .replaceAll("{{title}}", `Page ${url.pathname.split("/").pop()}`)
        .replaceAll("{{elsewhere}}", `http://127.0.0.1:${port}`);
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    }
  });
  port = await listen(server, 0, "0.0.0.0");
  return { server, port };
}

/** A fresh Chromium (its own storage, and the user agent given) that tracks despite `navigator.webdriver`, as the tracker's test flag allows. */
export async function openBrowser(userAgent?: string): Promise<BrowserContext> {
  const browser = await launchBrowser(userAgent);
  await browser.addInitScript(() => Object.assign(window, { __pixel_test: true }));
  return browser;
}

/** Commands pushed before the page's own snippet runs (the snippet keeps an existing `_pixel` array). */
export async function pushFirst(page: Page, commands: unknown[][]): Promise<void> {
  await page.addInitScript((early) => {
    const queue = ((window as unknown as { _pixel?: unknown[] })._pixel ??= []);
    queue.push(...early);
  }, commands);
}

/** Commands pushed onto the running tracker, as a page's own code would. */
export async function pushNow(page: Page, ...commands: unknown[][]): Promise<void> {
  await page.evaluate((commands) => (window as unknown as { _pixel: { push(...commands: unknown[][]): void } })._pixel.push(...commands), commands);
}

export interface SentHit {
  id: string;
  name: string;
  url: string;
  device?: string;
  user_id?: string;
  props?: Record<string, unknown>;
}

/** What the page sent to the collector (request bodies), and the requests for other tracker files. */
export function watchRequests(page: Page): { bodies: string[]; hits: () => SentHit[]; scripts: string[] } {
  const bodies: string[] = [];
  const scripts: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path == "/telemetry/e") bodies.push(request.postData() ?? "");
    else if (path.startsWith("/telemetry/")) scripts.push(path);
  });
  return { bodies, scripts, hits: () => bodies.flatMap((body) => JSON.parse(body) as SentHit[]) };
}

export const countBy = (events: { name: string }[]) =>
  events.reduce<Record<string, number>>((counts, { name }) => ({ ...counts, [name]: (counts[name] ?? 0) + 1 }), {});
