import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { DeployConfig } from "./settings";
import { deployedConfigPath, PAGES_CONFIG_PATH, queuesOf, readRawConfig, ROOT, WORKER_NAMES, withQueueShards, type WorkerConfig, type WorkerName } from "./workers";

/** wrangler run in `cwd` (default: the repo), the input on its stdin. */
export type Wrangler = (args: string[], options?: { input?: string; cwd?: string }) => Promise<{ ok: boolean; output: string }>;

export interface DeployDeps {
  wrangler: Wrangler;
  workerConfig: (worker: WorkerName) => WorkerConfig;
  migrateClickHouse: (config: DeployConfig) => Promise<unknown>;
  /** Builds the dashboard for this deployment and returns its output folder. */
  buildDashboard: (build: { apiOrigin: string; collectorPath: string }) => Promise<string>;
  randomSecret: () => string;
  /** Where the concrete wrangler configs for this account are written. */
  outDir: string;
  log: (line: string) => void;
}

const ALREADY_THERE = /already (exists|taken)|already own/i;

export class DeployError extends Error {}

/**
 * Creates or reuses every Cloudflare resource, applies both schemas, deploys the three Workers and the
 * dashboard, and sets missing secrets. Safe to run again: what exists is reused, set secrets are kept.
 */
export async function deploy(config: DeployConfig, deps: DeployDeps): Promise<string[]> {
  const workers = WORKER_NAMES.map((worker) => withQueueShards(deps.workerConfig(worker), config.queueShards));
  const step: Step = async (title, args, options = {}) => {
    const result = await deps.wrangler(args, { input: options.input, cwd: options.cwd });
    if (!result.ok && !options.tolerate?.test(result.output)) {
      throw new DeployError(`${title} failed: wrangler ${args.join(" ")}\n${result.output.trim()}`);
    }
    deps.log(`✓ ${title}${result.ok ? "" : " (already there)"}`);
    return result.output;
  };

  for (const queue of new Set(workers.flatMap(queuesOf))) {
    await step(`queue ${queue}`, ["queues", "create", queue], { tolerate: ALREADY_THERE });
  }
  for (const bucket of new Set(workers.flatMap((worker) => worker.r2.map((r2) => r2.bucket_name)))) {
    await step(`R2 bucket ${bucket}`, ["r2", "bucket", "create", bucket], { tolerate: ALREADY_THERE });
  }
  const d1Ids = await ensureD1(workers, step);

  const configPaths = new Map<WorkerName, string>();
  for (const worker of workers) {
    const path = deployedConfigPath(deps.outDir, worker.worker);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(deployConfigFor(worker, config, d1Ids, dirname(path)), null, 2));
    configPaths.set(worker.worker, path);
  }

  const api = workers.find((worker) => worker.worker === "api")!;
  for (const database of api.d1) {
    await step(`D1 migrations on ${database.database_name}`, ["d1", "migrations", "apply", database.database_name, "--remote", "-c", configPaths.get("api")!]);
  }
  await deps.migrateClickHouse(config);
  deps.log(`✓ ClickHouse migrations on ${new URL(config.clickHouse.url).host}`);

  // The flusher first: a collector that queues a new message shape (e.g. packs) must find a flusher that reads it.
  for (const worker of [...workers].sort((a, b) => Number(b.worker === "flusher") - Number(a.worker === "flusher"))) {
    await step(`Worker ${worker.name}`, ["deploy", "-c", configPaths.get(worker.worker)!]);
  }
  for (const worker of workers) await setSecrets(worker, config, deps, step, configPaths.get(worker.worker)!);

  const apiOrigin = config.dashboardOrigin ? `https://${config.apiRoute.split("/")[0]}` : "";
  const dist = resolve(ROOT, await deps.buildDashboard({ apiOrigin, collectorPath: config.basePath }));
  const pagesDir = writePagesProject(config, dist, deps.outDir);
  await step(`Pages project ${config.pagesProject}`, ["pages", "project", "create", config.pagesProject, "--production-branch", "main"], { tolerate: ALREADY_THERE });
  await step("dashboard", ["pages", "deploy", dist, "--project-name", config.pagesProject, "--branch", "main"], { cwd: pagesDir });

  const dashboard = config.dashboardOrigin ?? `https://${config.pagesProject}.pages.dev`;
  return [
    `collector  https://${config.zone}${config.basePath}/pixel.js  (route ${config.zone}${config.basePath}/*)`,
    `api        ${dashboard}/api (the dashboard's service binding)${config.apiRoute ? ` and https://${config.apiRoute.replace(/\/\*$/, "")}` : ""}`,
    `dashboard  ${dashboard}  (Pages project ${config.pagesProject})`,
    `flusher    consumes ${workers.find((worker) => worker.worker === "flusher")!.queueConsumers.map((consumer) => consumer.queue).join(", ")}`,
  ];
}

type Step = (title: string, args: string[], options?: { input?: string; cwd?: string; tolerate?: RegExp }) => Promise<string>;

async function ensureD1(workers: WorkerConfig[], step: Step): Promise<Map<string, string>> {
  const names = new Set(workers.flatMap((worker) => worker.d1.map((database) => database.database_name)));
  const list = async () => new Map((JSON.parse(await step("D1 databases listed", ["d1", "list", "--json"])) as { name: string; uuid: string }[]).map((d) => [d.name, d.uuid]));
  let ids = await list();
  const missing = [...names].filter((name) => !ids.has(name));
  for (const name of missing) await step(`D1 database ${name} created`, ["d1", "create", name]);
  if (missing.length) ids = await list();
  for (const name of names) if (!ids.has(name)) throw new DeployError(`D1 database ${name} was created but is not listed`);
  return ids;
}

/**
 * The repo's wrangler config, made concrete for this account: everything it declares is kept as written; only the
 * account's values are set (D1 ids, routes, workers.dev, the vars below).
 */
export function deployConfigFor(worker: WorkerConfig, config: DeployConfig, d1Ids: Map<string, string>, configDir: string) {
  const clickHouseUser = { flusher: config.clickHouse.flusher.user, api: config.clickHouse.api.user, collector: undefined }[worker.worker];
  const routes = {
    collector: [{ pattern: `${config.zone}${config.basePath}/*`, zone_name: config.zone }],
    api: config.apiRoute ? [{ pattern: config.apiRoute, zone_name: config.zone }] : undefined,
    flusher: undefined,
  }[worker.worker];
  const { route: _, ...raw } = worker.raw;
  return {
    ...raw,
    routes,
    // The flusher's health and admin routes answer on workers.dev; the api needs no public address of its own, and
    // no Worker needs public preview URLs of its versions.
    workers_dev: worker.worker === "flusher",
    preview_urls: false,
    vars: {
      ...raw.vars,
      ...(worker.worker === "collector" ? { PIXEL_BASE_PATH: config.basePath } : {}),
      ...(worker.worker === "api" && config.dashboardOrigin ? { PIXEL_DASHBOARD_ORIGIN: config.dashboardOrigin } : {}),
      ...(worker.worker === "api" && config.clickHouse.writer ? { CLICKHOUSE_WRITE_USER: config.clickHouse.writer.user } : {}),
      ...(worker.worker === "api" && config.email
        ? { PIXEL_EMAIL_FROM: config.email.from, PIXEL_DASHBOARD_URL: config.email.dashboardUrl, PIXEL_EMAIL_PROVIDER: config.email.provider }
        : {}),
      ...(clickHouseUser ? { CLICKHOUSE_URL: config.clickHouse.url, CLICKHOUSE_DATABASE: config.clickHouse.database, CLICKHOUSE_USER: clickHouseUser } : {}),
    },
    // Least privilege: the binding may send only as the configured sender, as Email Service's allowed_sender_addresses enforces.
    send_email: config.email ? raw.send_email?.map((binding) => ({ ...binding, allowed_sender_addresses: [config.email!.address] })) : raw.send_email,
    d1_databases: raw.d1_databases?.map((database) => ({ ...database, database_id: d1Ids.get(database.database_name!) })),
    // wrangler joins watch_dir to the config's folder even when it is absolute.
    build: raw.build && { ...raw.build, watch_dir: raw.build.watch_dir && [raw.build.watch_dir].flat().map((dir) => relative(configDir, dir)) },
  };
}

/**
 * The folder `wrangler pages deploy` runs in: the repo's Pages config for this project (Pages reads its config only
 * from the working folder) and the dashboard's Functions, which wrangler takes from `./functions`.
 */
function writePagesProject(config: DeployConfig, dist: string, outDir: string): string {
  const dir = join(outDir, "dashboard");
  mkdirSync(dir, { recursive: true });
  const pages = { ...readRawConfig(PAGES_CONFIG_PATH), name: config.pagesProject, pages_build_output_dir: dist };
  writeFileSync(join(dir, "wrangler.json"), JSON.stringify(pages, null, 2));
  const functions = join(dirname(PAGES_CONFIG_PATH), "functions");
  rmSync(join(dir, "functions"), { force: true });
  if (existsSync(functions)) symlinkSync(functions, join(dir, "functions"), "dir");
  return dir;
}

async function setSecrets(worker: WorkerConfig, config: DeployConfig, deps: DeployDeps, step: Step, configPath: string) {
  const wanted: Record<string, string | undefined> = {
    flusher: {
      CLICKHOUSE_PASSWORD: config.clickHouse.flusher.password,
      ...(config.adminToken ? { PIXEL_ADMIN_TOKEN: config.adminToken } : {}),
      ...(config.alertWebhookUrl ? { PIXEL_ALERT_WEBHOOK_URL: config.alertWebhookUrl } : {}),
    },
    api: {
      CLICKHOUSE_PASSWORD: config.clickHouse.api.password,
      PIXEL_SESSION_SECRET: config.sessionSecret,
      ...(config.clickHouse.writer ? { CLICKHOUSE_WRITE_PASSWORD: config.clickHouse.writer.password } : {}),
      ...(config.email?.apiKey ? { PIXEL_EMAIL_API_KEY: config.email.apiKey } : {}),
    },
    collector: {},
  }[worker.worker];
  if (!Object.keys(wanted).length) return;
  const existing = new Set((JSON.parse(await step(`secrets of ${worker.name} listed`, ["secret", "list", "-c", configPath, "--format", "json"])) as { name: string }[]).map((s) => s.name));
  for (const [name, value] of Object.entries(wanted)) {
    if (name === "PIXEL_SESSION_SECRET" && !value && existing.has(name)) continue;
    const secret = value ?? deps.randomSecret();
    await step(`secret ${name} on ${worker.name}`, ["secret", "put", name, "-c", configPath], { input: secret });
  }
}
