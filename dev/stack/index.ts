import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ClickHouseConfig, DEFAULT_DATABASE } from "@pixel/lib/clickhouse/client";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { type LocalPasswords, localPasswordsIn, localUsers, provisionUsers } from "@pixel/lib/clickhouse/node/users";
import { CLICKHOUSE_USERS } from "@pixel/lib/clickhouse/users";
import { startClickHouseServer } from "../clickhouse-server/server";
import { buildTracker } from "@pixel/tracker/build";
import { bootstrapLocal } from "./bootstrap";
import { applyD1Migrations } from "./d1";
import { dashboardWorker, startDashboardDevServer } from "./dashboard";
import { startDemoSite } from "./demo-site";
import { closeServer, freePort } from "./proxy";
import { startWorkers } from "./workers";

/** Each part's local port: the variable that sets it for `npm run dev`, and its default (README.md, "Local ports"). */
export const LOCAL_PORTS = {
  clickhouse: { variable: "PIXEL_CLICKHOUSE_PORT", fallback: 8123 },
  collector: { variable: "PIXEL_COLLECTOR_PORT", fallback: 8787 },
  api: { variable: "PIXEL_API_PORT", fallback: 8788 },
  dashboard: { variable: "PIXEL_DASHBOARD_PORT", fallback: 5173 },
  demo: { variable: "PIXEL_DEMO_PORT", fallback: 8080 },
} as const;

export type LocalPart = keyof typeof LOCAL_PORTS;

export interface StackOptions {
  /** Where local state lives: ClickHouse data, D1, Durable Objects. */
  dataDir: string;
  ports: Record<LocalPart, number>;
  adminPassword: string;
  /** Set the existing admin's password to adminPassword. */
  resetAdminPassword?: boolean;
  sessionSecret: string;
  /**
   * Use a ClickHouse that is already running instead of starting one: `clickHouse` may create the database and
   * apply migrations, and `clickHousePasswords` are those of users.sql's users on it, for the Workers.
   */
  clickHouse?: ClickHouseConfig;
  clickHousePasswords?: LocalPasswords;
  /**
   * An admin of a ClickHouse that is already running (CLICKHOUSE_URL): users.sql is applied to it with the local
   * passwords, as the deploy asks of an admin, and the migrator migrates it. Without it or `clickHouse`, a local one starts.
   */
  externalClickHouse?: Omit<ClickHouseConfig, "database">;
  clickHouseDatabase?: string;
  /** "static": the built dashboard served as Pages serves it (Functions and `_headers`); "vite": hot reload. */
  dashboard: "vite" | "static";
  demoDomain?: string;
  /** The demo site's id when the stack first makes it, for ClickHouse data stored under that id already; random without it. */
  siteId?: string;
  log?: (line: string) => void;
  /** Print each request and queue batch the Workers handle. */
  verbose?: boolean;
}

export interface Stack {
  urls: Record<LocalPart, string>;
  admin: { email: string };
  siteId: string;
  stop(): Promise<void>;
}

/** The whole of Pixel on this machine, wired exactly as in production. Used by `npm run dev` and the end-to-end tests. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? console.log;
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => {});
  };
  try {
    const tracker = await buildTracker();
    log(`pixel.js built: ${tracker.raw} B, ${tracker.gzip} B gzipped`);

    let clickHouse = options.clickHouse;
    let passwords = options.clickHousePasswords;
    if (!clickHouse) {
      const database = options.clickHouseDatabase ?? DEFAULT_DATABASE;
      passwords = localPasswordsIn(options.dataDir);
      let url = options.externalClickHouse?.url;
      if (options.externalClickHouse) await provisionUsers(options.externalClickHouse, passwords, [database]);
      else {
        const dataDir = join(options.dataDir, "clickhouse");
        mkdirSync(dataDir, { recursive: true });
        const server = await startClickHouseServer({ port: options.ports.clickhouse, dataDir, users: localUsers(passwords, [database]) });
        stops.push(() => server.close());
        url = server.url;
      }
      const migrator = CLICKHOUSE_USERS.migrator;
      clickHouse = { url: url!, database, username: migrator, password: passwords[migrator] };
    }
    await migrateClickHouse(clickHouse, log);

    // Known before the api starts, for the links in its e-mails.
    const dashboardPort = options.ports.dashboard || (await freePort());
    const pages = options.dashboard === "static" ? await dashboardWorker({ port: dashboardPort }) : undefined;
    if (pages) stops.push(async () => pages.close());
    const workers = await startWorkers({
      clickHouseUrl: clickHouse.url,
      clickHouseDatabase: clickHouse.database,
      clickHousePasswords: passwords,
      sessionSecret: options.sessionSecret,
      dashboardUrl: `http://127.0.0.1:${dashboardPort}`,
      persistDir: join(options.dataDir, "workers"),
      collectorPort: options.ports.collector,
      apiPort: options.ports.api,
      verbose: options.verbose,
      extraWorkers: pages && [pages.worker],
    });
    stops.push(() => workers.mf.dispose());
    const d1 = await workers.mf.getD1Database("DB", "api");
    await applyD1Migrations(d1, log);
    const local = await bootstrapLocal(d1, {
      adminPassword: options.adminPassword,
      siteDomain: options.demoDomain ?? "localhost",
      siteId: options.siteId,
      resetPassword: options.resetAdminPassword,
    });

    let dashboardUrl = pages && (await workers.mf.unsafeGetDirectURL("dashboard")).origin;
    if (!dashboardUrl) {
      const vite = await startDashboardDevServer({ port: dashboardPort, apiUrl: workers.apiUrl });
      stops.push(() => vite.close());
      dashboardUrl = vite.url;
    }
    const demo = await startDemoSite({ port: options.ports.demo, collectorUrl: workers.collectorUrl });
    stops.push(() => closeServer(demo.server));

    return {
      urls: { clickhouse: clickHouse.url, collector: workers.collectorUrl, api: workers.apiUrl, dashboard: dashboardUrl, demo: demo.url },
      admin: { email: local.admin.email },
      siteId: local.site.id,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
