import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@clickhouse/client-web";
import { drizzle } from "drizzle-orm/d1";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { fileURLToPath } from "node:url";
import { applyD1Migrations } from "@pixel/dev/stack/d1";
import { DEV_CF, workerOptionsFor } from "@pixel/dev/stack/workers";
import { createSite } from "@pixel/lib/d1/accounts";
import { workerClickHouseEnv } from "@pixel/lib/clickhouse/node/users";
import { testAdmin, testClickHousePasswords } from "../../support/clickhouse";

/** A TCP relay in front of ClickHouse that can be switched off: while off it resets every connection, open or new. */
export interface Switch {
  url: string;
  refused: number;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function switchableProxy(target: string): Promise<Switch> {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  let isDown = false;
  const state = { refused: 0 };
  const server = net.createServer((client) => {
    if (isDown) {
      state.refused++;
      client.resetAndDestroy();
      return;
    }
    const server = net.connect(Number(upstream.port), upstream.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get refused() {
      return state.refused;
    },
    down() {
      isDown = true;
      for (const socket of sockets) socket.resetAndDestroy();
    },
    up() {
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What the stats queries see: rows read FINAL, so a row stored twice counts once. */
export async function storedEvents(url: string, database: string, siteId: string): Promise<{ rows: number; distinct: number }> {
  const client = createClient({ ...testAdmin(), url, database, clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
  try {
    const result = await client.query({
      query: "SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events FINAL WHERE site_id = {site:String}",
      query_params: { site: siteId },
      format: "JSONEachRow",
    });
    return (await result.json<{ rows: number; distinct: number }>())[0]!;
  } finally {
    await client.close();
  }
}

/** Dropped hits per reason for one site, as the API reads them. */
export async function droppedHits(url: string, database: string, siteId: string): Promise<Record<string, number>> {
  const client = createClient({ ...testAdmin(), url, database, clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
  try {
    const result = await client.query({
      query: "SELECT reason, toUInt32(sum(hits)) AS hits FROM dropped_hits FINAL WHERE site_id = {site:String} GROUP BY reason",
      query_params: { site: siteId },
      format: "JSONEachRow",
    });
    return Object.fromEntries((await result.json<{ reason: string; hits: number }>()).map((row) => [row.reason, row.hits]));
  } finally {
    await client.close();
  }
}

export const CHROME_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export const pageview = (host: string, i: number) => ({
  id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
  name: "pageview",
  url: `http://${host}/page/${i}`,
});

/** POSTs hits to the collector the way pixel.js does (text/plain, no preflight). */
export async function sendHits(collectorUrl: string, hits: unknown, ip = "203.0.113.9", headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${collectorUrl}/telemetry/e`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME_UA, "cf-connecting-ip": ip, ...headers },
    body: typeof hits === "string" ? hits : JSON.stringify(hits),
  });
  await response.arrayBuffer();
  return response.status;
}

export interface Pipeline {
  collectorUrl: string;
  siteId: string;
  mf: Miniflare;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The collector and flusher Workers in one workerd, configured from their wrangler.toml as `npm run dev`
 * does (with `queueShards`, as the deploy generates them for that many hits queues), against the given
 * ClickHouse, with one registered site. Leaves out the api, tracker build, dashboard and demo site that
 * `startStack` adds: ingestion needs none of them.
 */
export async function startPipeline(options: { clickHouseUrl: string; database: string; domain?: string; cf?: Record<string, unknown>; queueShards?: number }): Promise<Pipeline> {
  const clickHouse = { CLICKHOUSE_URL: options.clickHouseUrl, CLICKHOUSE_DATABASE: options.database };
  const flusher = { ...clickHouse, ...workerClickHouseEnv("flusher", testClickHousePasswords()) };
  const workers = [await workerOptionsFor("collector", clickHouse, {}, options.queueShards), await workerOptionsFor("flusher", flusher, {}, options.queueShards)];
  const persistDir = mkdtempSync(join(tmpdir(), "pixel-ingestion-"));
  const mf = new Miniflare({ host: "127.0.0.1", port: 0, cf: options.cf ?? DEV_CF, defaultPersistRoot: persistDir, log: new Log(LogLevel.ERROR), workers });
  const stop = async () => {
    await mf.dispose();
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
    const collectorUrl = (await mf.ready).origin;
    const d1 = await mf.getD1Database("DB", "collector");
    await applyD1Migrations(d1, () => {});
    const site = await createSite(drizzle(d1 as never), { domain: options.domain ?? "shop.example" });
    return { collectorUrl, siteId: site.id, mf, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
