import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { readWorkerConfig, withQueueShards, wranglerConfigPath, type WorkerName } from "@pixel/deploy/workers";
import { type LocalPasswords, workerClickHouseEnv } from "@pixel/lib/clickhouse/node/users";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** How wrangler bundles a Worker: ESM for workerd, resolved with its export conditions, in memory. */
export const WORKER_BUNDLE = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  external: ["cloudflare:*", "node:*"],
  write: false,
  logLevel: "silent",
} as const satisfies BuildOptions;

export async function bundleWorker(name: WorkerName): Promise<string> {
  const result = await build({ ...WORKER_BUNDLE, entryPoints: [`${ROOT}workers/${name}/src/index.ts`] });
  return result.outputFiles[0]!.text;
}

export interface WorkersOptions {
  clickHouseUrl: string;
  clickHouseDatabase: string;
  /** Each Worker runs as its users.sql user with these passwords; unset, against a ClickHouse without users. */
  clickHousePasswords?: LocalPasswords;
  sessionSecret: string;
  /** Where links in e-mails lead; the messages themselves go to Miniflare's `send_email` emulation (see mailNotice). */
  dashboardUrl: string;
  persistDir: string;
  collectorPort: number;
  apiPort: number;
  cf?: Record<string, unknown>;
  /** More Workers for the same process, e.g. the dashboard's Pages Functions, which reach the api by service binding. */
  extraWorkers?: WorkerOptions[];
  /** Request and queue lines from workerd, as `wrangler dev` prints them. */
  verbose?: boolean;
}

const DEV_EMAIL_ADDRESS = "pixel@localhost.test";
export const DEV_EMAIL_FROM = `Pixel <${DEV_EMAIL_ADDRESS}>`;

/** Miniflare writes each message the api sends to a file and logs its path; this says so when Pixel starts. */
export const MAIL_NOTICE = `each e-mail is written to ${tmpdir()}/miniflare-*/files/email/*.eml; its path is printed here when sent`;

/** A stand-in for a Cloudflare colo: the values a request from Berlin would carry. */
export const DEV_CF = {
  country: "DE", regionCode: "BE", region: "Berlin", city: "Berlin", continent: "EU", timezone: "Europe/Berlin",
  asn: 3320, asOrganization: "Deutsche Telekom AG", colo: "FRA", latitude: "52.52", longitude: "13.40", postalCode: "10115",
};

/** A Worker as its wrangler config describes it, bundled, with extra bindings (ClickHouse, secrets) on top. */
export async function workerOptionsFor(
  name: WorkerName,
  bindings: Record<string, unknown>,
  extra: Partial<WorkerOptions> = {},
  queueShards = 1,
): Promise<WorkerOptions> {
  const { workerOptions } = miniflareOptionsOf(name, queueShards);
  return {
    ...(workerOptions as WorkerOptions),
    name,
    modules: [{ type: "ESModule", path: `${ROOT}workers/${name}/index.mjs`, contents: await bundleWorker(name) }],
    bindings: { ...(workerOptions.bindings ?? {}), ...bindings },
    ...extra,
  } as WorkerOptions;
}

/** Miniflare's options from the Worker's wrangler config, or with `queueShards` > 1 from the config the deploy generates. */
function miniflareOptionsOf(name: WorkerName, queueShards: number) {
  if (queueShards <= 1) return unstable_getMiniflareWorkerOptions(wranglerConfigPath(name));
  const dir = mkdtempSync(join(tmpdir(), `pixel-${name}-shards-`));
  try {
    writeFileSync(join(dir, "wrangler.json"), JSON.stringify(withQueueShards(readWorkerConfig(name), queueShards).raw));
    return unstable_getMiniflareWorkerOptions(join(dir, "wrangler.json"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Workers' JSON lines, except one access line per request, which would bury everything else in the terminal
 * (the dashboard alone refreshes every 10 s); PIXEL_ACCESS_LOG=1 shows them too.
 */
function showWorkerLine(line: string): boolean {
  if (process.env.PIXEL_ACCESS_LOG === "1" || !line.startsWith("{")) return true;
  return !line.includes('"level":"info","message":"request"');
}

/**
 * All three Workers in one workerd process, configured from their wrangler.toml: a local queue only
 * reaches a consumer in the same process. The collector listens on its own port, the api on another.
 */
export async function startWorkers(options: WorkersOptions): Promise<{ mf: Miniflare; collectorUrl: string; apiUrl: string }> {
  const clickHouse = (worker: "collector" | "flusher" | "api") => ({
    CLICKHOUSE_URL: options.clickHouseUrl,
    CLICKHOUSE_DATABASE: options.clickHouseDatabase,
    ...(options.clickHousePasswords ? workerClickHouseEnv(worker, options.clickHousePasswords) : {}),
  });
  const workers = [
    await workerOptionsFor("collector", clickHouse("collector")),
    await workerOptionsFor("flusher", clickHouse("flusher")),
    await workerOptionsFor(
      "api",
      { ...clickHouse("api"), PIXEL_SESSION_SECRET: options.sessionSecret, PIXEL_EMAIL_FROM: DEV_EMAIL_FROM, PIXEL_DASHBOARD_URL: options.dashboardUrl },
      {
        unsafeDirectSockets: [{ host: "127.0.0.1", port: options.apiPort }],
        // As `npm run deploy` locks it: Miniflare then refuses any other sender, like Email Service.
        email: { send_email: [{ name: "EMAIL", allowed_sender_addresses: [DEV_EMAIL_ADDRESS] }] },
      },
    ),
    ...(options.extraWorkers ?? []),
  ];
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: options.collectorPort,
    cf: options.cf ?? DEV_CF,
    defaultPersistRoot: options.persistDir,
    log: new Log(options.verbose ? LogLevel.INFO : LogLevel.WARN),
    handleRuntimeStdio: (stdout, stderr) => {
      for (const [stream, write] of [[stdout, console.log], [stderr, console.error]] as const) {
        createInterface({ input: stream }).on("line", (line) => showWorkerLine(line) && write(line));
      }
    },
    workers,
  });
  const collectorUrl = (await mf.ready).origin;
  const apiUrl = (await mf.unsafeGetDirectURL("api")).origin;
  return { mf, collectorUrl, apiUrl };
}
