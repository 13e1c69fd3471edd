import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { deploy, type Wrangler } from "./deploy";
import { deployConfigFrom, MissingSettingsError } from "./settings";
import { bindingNames, deployedConfigPath, PAGES_CONFIG_PATH, readWorkerConfig, ROOT, WORKER_NAMES, wranglerConfigPath } from "./workers";

const outDir = mkdtempSync(join(tmpdir(), "pixel-deploy-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const ENV = {
  PIXEL_ZONE: "shop.example",
  CLICKHOUSE_URL: "https://ch.example:8443",
  CLICKHOUSE_ADMIN_PASSWORD: "admin-pw",
  CLICKHOUSE_FLUSHER_PASSWORD: "writer-pw",
  CLICKHOUSE_API_PASSWORD: "reader-pw",
};

/** A Cloudflare account in memory, answering as wrangler does, including its "already exists" errors. */
function fakeAccount() {
  const state = { queues: new Set<string>(), buckets: new Set<string>(), d1: new Map<string, string>(), secrets: new Map<string, Map<string, string>>(), deploys: [] as string[], pages: new Set<string>(), pagesDeployedFrom: [] as string[], calls: [] as string[] };
  const workerOf = (args: string[]) => JSON.parse(readFileSync(args[args.indexOf("-c") + 1]!, "utf8")).name as string;
  const create = (set: Set<string>, name: string) => (set.has(name) ? { ok: false, output: `✘ [ERROR] ${name} already exists [code: 10004]` } : (set.add(name), { ok: true, output: "Created" }));
  const wrangler: Wrangler = async (args, options = {}) => {
    state.calls.push(args.join(" "));
    const [group, action, name] = args;
    if (group === "queues" && action === "create") return create(state.queues, name!);
    if (group === "r2") return create(state.buckets, args[3]!);
    if (group === "pages" && action === "project") return create(state.pages, args[3]!);
    if (group === "d1" && action === "list") return { ok: true, output: JSON.stringify([...state.d1].map(([n, uuid]) => ({ name: n, uuid }))) };
    if (group === "d1" && action === "create") return state.d1.set(name!, `uuid-${name}`), { ok: true, output: "created" };
    if (group === "secret") {
      const secrets = state.secrets.get(workerOf(args)) ?? new Map<string, string>();
      state.secrets.set(workerOf(args), secrets);
      if (action === "list") return { ok: true, output: JSON.stringify([...secrets.keys()].map((n) => ({ name: n, type: "secret_text" }))) };
      secrets.set(name!, options.input!);
      return { ok: true, output: "Success" };
    }
    if (group === "deploy") return state.deploys.push(workerOf(args)), { ok: true, output: "Deployed" };
    if (group === "pages" && action === "deploy") return state.pagesDeployedFrom.push(options.cwd ?? ROOT), { ok: true, output: "Deployed" };
    return { ok: true, output: "" };
  };
  return { state, wrangler };
}

const deps = (account: ReturnType<typeof fakeAccount>, migrated: string[]) => ({
  wrangler: account.wrangler,
  workerConfig: readWorkerConfig,
  migrateClickHouse: async () => void migrated.push("migrated"),
  buildDashboard: async () => "pages/dashboard/dist",
  randomSecret: () => `random-${Math.random()}`,
  outDir,
  log: () => {},
});

describe("npm run deploy against a fake wrangler", () => {
  it("creates every resource once, keeps secrets on a second run, and deploys every part each time, the flusher before the collector", async () => {
    const account = fakeAccount();
    const migrated: string[] = [];
    const config = deployConfigFrom(ENV);
    await deploy(config, deps(account, migrated));
    const sessionSecret = account.state.secrets.get("pixel-api")!.get("PIXEL_SESSION_SECRET");
    expect(sessionSecret).toMatch(/^random-/);
    await deploy(config, deps(account, migrated));

    const queues = WORKER_NAMES.flatMap((w) => readWorkerConfig(w).queueProducers.map((p) => p.queue));
    expect([...account.state.queues]).toEqual(expect.arrayContaining(queues));
    expect([...account.state.d1.keys()]).toEqual(["pixel"]);
    expect(account.state.calls.filter((call) => call.startsWith("d1 create"))).toHaveLength(1);
    expect(account.state.deploys).toEqual(["pixel-flusher", "pixel-collector", "pixel-api", "pixel-flusher", "pixel-collector", "pixel-api"]);
    expect(account.state.secrets.get("pixel-api")!.get("PIXEL_SESSION_SECRET")).toBe(sessionSecret);
    expect(account.state.secrets.get("pixel-flusher")!.get("CLICKHOUSE_PASSWORD")).toBe("writer-pw");
    expect(account.state.secrets.get("pixel-api")!.get("CLICKHOUSE_PASSWORD")).toBe("reader-pw");
    expect(migrated).toHaveLength(2);
    expect(account.state.calls.some((call) => call.includes("writer-pw") || call.includes("reader-pw"))).toBe(false);
  });

  it("writes concrete configs: the real D1 id, the zone's route and least-privilege ClickHouse users", async () => {
    await deploy(deployConfigFrom(ENV), deps(fakeAccount(), []));
    const config = (worker: string) => JSON.parse(readFileSync(join(outDir, `${worker}.wrangler.json`), "utf8"));
    expect(config("collector").routes).toEqual([{ pattern: "shop.example/telemetry/*", zone_name: "shop.example" }]);
    expect(config("api").d1_databases[0].database_id).toBe("uuid-pixel");
    expect(config("flusher").vars).toMatchObject({ CLICKHOUSE_URL: "https://ch.example:8443", CLICKHOUSE_USER: "pixel_writer" });
    expect(config("api").vars).toMatchObject({ CLICKHOUSE_USER: "pixel_reader" });
    expect(JSON.stringify(config("api"))).not.toContain("reader-pw");
    expect(config("collector").triggers.crons).toHaveLength(1);
    expect(config("flusher").triggers.crons).toHaveLength(2);
    expect(config("api").triggers.crons).toHaveLength(2);
    for (const worker of ["collector", "flusher", "api"]) expect(config(worker).observability).toMatchObject({ enabled: true });
  });

  it("sets the alert webhook as a flusher secret only when given, never on the command line", async () => {
    const webhook = "https://hooks.example/services/secret-token";
    const account = fakeAccount();
    await deploy(deployConfigFrom({ ...ENV, PIXEL_ALERT_WEBHOOK_URL: webhook }), deps(account, []));
    expect(account.state.secrets.get("pixel-flusher")!.get("PIXEL_ALERT_WEBHOOK_URL")).toBe(webhook);
    expect(account.state.calls.some((call) => call.includes("secret-token"))).toBe(false);
    const without = fakeAccount();
    await deploy(deployConfigFrom(ENV), deps(without, []));
    expect(without.state.secrets.get("pixel-flusher")!.has("PIXEL_ALERT_WEBHOOK_URL")).toBe(false);
  });

  it("gives the api a data user for deleting and importing only when one is configured", async () => {
    const account = fakeAccount();
    await deploy(deployConfigFrom({ ...ENV, CLICKHOUSE_WRITE_USER: "pixel_data", CLICKHOUSE_WRITE_PASSWORD: "data-pw" }), deps(account, []));
    const api = JSON.parse(readFileSync(join(outDir, "api.wrangler.json"), "utf8"));
    expect(api.vars.CLICKHOUSE_WRITE_USER).toBe("pixel_data");
    expect(JSON.stringify(api)).not.toContain("data-pw");
    expect(account.state.secrets.get("pixel-api")!.get("CLICKHOUSE_WRITE_PASSWORD")).toBe("data-pw");
    const without = fakeAccount();
    await deploy(deployConfigFrom(ENV), deps(without, []));
    expect(without.state.secrets.get("pixel-api")!.has("CLICKHOUSE_WRITE_PASSWORD")).toBe(false);
  });

  it("builds the dashboard for the api on its own origin and the collector's path", async () => {
    const builds: unknown[] = [];
    const env = { ...ENV, PIXEL_BASE_PATH: "/stats/" };
    await deploy(deployConfigFrom(env), { ...deps(fakeAccount(), []), buildDashboard: async (build) => (builds.push(build), "dist") });
    expect(builds).toEqual([{ apiOrigin: "", collectorPath: "/stats" }]);
  });

  it("by default gives the api no route on the tracked zone and no workers.dev or preview address", async () => {
    await deploy(deployConfigFrom(ENV), deps(fakeAccount(), []));
    const api = JSON.parse(readFileSync(join(outDir, "api.wrangler.json"), "utf8"));
    expect(api.routes).toBeUndefined();
    expect(api.workers_dev).toBe(false);
    expect(api.preview_urls).toBe(false);
    expect(api.vars.PIXEL_DASHBOARD_ORIGIN).toBeUndefined();
  });

  it("keeps the cross-origin mode as an option: the api on its own route, answering the named dashboard", async () => {
    const builds: unknown[] = [];
    const env = { ...ENV, PIXEL_API_ROUTE: "api.shop.example/*", PIXEL_DASHBOARD_ORIGIN: "https://stats.shop.example/" };
    await deploy(deployConfigFrom(env), { ...deps(fakeAccount(), []), buildDashboard: async (build) => (builds.push(build), "dist") });
    const api = JSON.parse(readFileSync(join(outDir, "api.wrangler.json"), "utf8"));
    expect(api.routes).toEqual([{ pattern: "api.shop.example/*", zone_name: "shop.example" }]);
    expect(api.vars.PIXEL_DASHBOARD_ORIGIN).toBe("https://stats.shop.example");
    expect(builds).toEqual([{ apiOrigin: "https://api.shop.example", collectorPath: "/telemetry" }]);
    expect(() => deployConfigFrom({ ...ENV, PIXEL_DASHBOARD_ORIGIN: "https://stats.shop.example" })).toThrow(/PIXEL_DASHBOARD_ORIGIN.*needs PIXEL_API_ROUTE/);
  });

  it("takes CLICKHOUSE_TOPOLOGY for the migrations and stops before anything at one it does not know", () => {
    expect(deployConfigFrom(ENV).clickHouse.topology).toBe("single");
    expect(deployConfigFrom({ ...ENV, CLICKHOUSE_TOPOLOGY: "cluster:pixel_cluster" }).clickHouse.topology).toBe("cluster:pixel_cluster");
    expect(() => deployConfigFrom({ ...ENV, CLICKHOUSE_TOPOLOGY: "sharded" })).toThrow(MissingSettingsError);
  });

  it("deploys the dashboard with the Pages config that binds the api Worker as API", async () => {
    const account = fakeAccount();
    const dist = mkdtempSync(join(tmpdir(), "pixel-dist-"));
    await deploy(deployConfigFrom({ ...ENV, PIXEL_PAGES_PROJECT: "shop-stats" }), { ...deps(account, []), buildDashboard: async () => dist });
    const [projectDir] = account.state.pagesDeployedFrom;
    const pages = unstable_readConfig({ config: join(projectDir!, "wrangler.json") });
    expect(pages.name).toBe("shop-stats");
    expect(pages.pages_build_output_dir).toBe(dist);
    expect(pages.services).toContainEqual({ binding: "API", service: readWorkerConfig("api").name });
    // wrangler finds it in that folder and accepts it as a Pages config, as `pages deploy` does.
    const envFile = join(projectDir!, "build-env.json");
    await promisify(execFile)(join(ROOT, "node_modules/.bin/wrangler"), ["pages", "functions", "build-env", projectDir!, "--outfile", envFile], { cwd: projectDir, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
    expect(JSON.parse(readFileSync(envFile, "utf8")).pages_build_output_dir).toBeDefined();
    const functions = join(dirname(PAGES_CONFIG_PATH), "functions");
    expect(existsSync(join(projectDir!, "functions"))).toBe(existsSync(functions));
    if (existsSync(functions)) expect(realpathSync(join(projectDir!, "functions"))).toBe(realpathSync(functions));
  }, 60_000);

  it("gives the api its e-mail settings as vars and a provider's key as a secret, and refuses half of them", async () => {
    const account = fakeAccount();
    const email = { PIXEL_EMAIL_FROM: "Pixel <pixel@shop.example>", PIXEL_DASHBOARD_URL: "https://stats.shop.example/", PIXEL_EMAIL_PROVIDER: "resend", PIXEL_EMAIL_API_KEY: "re_secret" };
    await deploy(deployConfigFrom({ ...ENV, ...email }), deps(account, []));
    const api = JSON.parse(readFileSync(join(outDir, "api.wrangler.json"), "utf8"));
    expect(api.vars).toMatchObject({ PIXEL_EMAIL_FROM: email.PIXEL_EMAIL_FROM, PIXEL_DASHBOARD_URL: "https://stats.shop.example", PIXEL_EMAIL_PROVIDER: "resend" });
    expect(api.send_email).toEqual([{ name: "EMAIL", allowed_sender_addresses: ["pixel@shop.example"] }]);
    expect(account.state.secrets.get("pixel-api")!.get("PIXEL_EMAIL_API_KEY")).toBe("re_secret");
    expect(account.state.calls.some((call) => call.includes("re_secret"))).toBe(false);
    expect(() => deployConfigFrom({ ...ENV, PIXEL_EMAIL_FROM: "pixel@shop.example" })).toThrow(/PIXEL_EMAIL_FROM needs PIXEL_DASHBOARD_URL/);
    expect(() => deployConfigFrom({ ...ENV, ...email, PIXEL_EMAIL_API_KEY: "" })).toThrow(/PIXEL_EMAIL_PROVIDER=resend needs PIXEL_EMAIL_API_KEY/);
    expect(() => deployConfigFrom({ ...ENV, ...email, PIXEL_EMAIL_FROM: "Pixel" })).toThrow(/PIXEL_EMAIL_FROM is pixel@example.com/);
  });

  it("names every missing setting instead of deploying half", () => {
    expect(() => deployConfigFrom({ PIXEL_ZONE: "x.example" })).toThrow(MissingSettingsError);
    expect(() => deployConfigFrom({ PIXEL_ZONE: "x.example" })).toThrow(/CLICKHOUSE_URL.*CLICKHOUSE_FLUSHER_PASSWORD/);
  });
});

describe("the generated configs are the repo's configs", () => {
  /** What the deploy sets per account; everything else must reach Cloudflare exactly as the repo declares it. */
  const ACCOUNT_FIELDS = ["configPath", "userConfigPath", "routes", "route", "workers_dev", "preview_urls", "vars", "d1_databases"];

  it.each(WORKER_NAMES)("every binding, trigger and setting of the %s's repo config is deployed", async (worker) => {
    await deploy(deployConfigFrom({ ...ENV, CLICKHOUSE_WRITE_USER: "pixel_data" }), deps(fakeAccount(), []));
    const repo = withAbsolutePaths(unstable_readConfig({ config: wranglerConfigPath(worker) }));
    const generated = withAbsolutePaths(unstable_readConfig({ config: deployedConfigPath(outDir, worker) }));
    for (const field of Object.keys(repo).filter((field) => !ACCOUNT_FIELDS.includes(field))) {
      expect({ [field]: generated[field] }).toEqual({ [field]: repo[field] });
    }
    expect(Object.keys(generated.vars as object)).toEqual(expect.arrayContaining(Object.keys(repo.vars as object)));
    const d1 = (config: Record<string, unknown>) => (config.d1_databases as Record<string, unknown>[]).map(({ database_id: _, ...rest }) => rest);
    expect(d1(generated)).toEqual(d1(repo));
    for (const database of generated.d1_databases as { database_id: string }[]) expect(database.database_id).toBe("uuid-pixel");
  });

  it("with PIXEL_QUEUE_SHARDS=4 deploys a collector binding and a flusher consumer per hits queue, and the rest as the repo declares it", async () => {
    const account = fakeAccount();
    await deploy(deployConfigFrom({ ...ENV, PIXEL_QUEUE_SHARDS: "4" }), deps(account, []));
    const shards = ["pixel-hits", "pixel-hits-1", "pixel-hits-2", "pixel-hits-3"];
    expect([...account.state.queues]).toEqual(expect.arrayContaining(shards));
    const read = (worker: (typeof WORKER_NAMES)[number], where: "repo" | "generated") =>
      unstable_readConfig({ config: where === "repo" ? wranglerConfigPath(worker) : deployedConfigPath(outDir, worker) });
    const collector = read("collector", "generated");
    expect(collector.queues.producers).toEqual([
      { binding: "HITS", queue: "pixel-hits" },
      { binding: "HITS_1", queue: "pixel-hits-1" },
      { binding: "HITS_2", queue: "pixel-hits-2" },
      { binding: "HITS_3", queue: "pixel-hits-3" },
    ]);
    const flusher = read("flusher", "generated");
    type Consumer = { queue: string };
    const hitsConsumer = read("flusher", "repo").queues.consumers!.find((consumer: Consumer) => consumer.queue === "pixel-hits")!;
    for (const queue of shards) expect(flusher.queues.consumers!.find((consumer: Consumer) => consumer.queue === queue)).toEqual({ ...hitsConsumer, queue });
    expect(flusher.queues.consumers!.map((consumer: Consumer) => consumer.queue)).toEqual([...shards, "pixel-hits-dead", "pixel-hits-dead-final"]);
    // Replay goes back to shard 0 only: the flusher needs no producer per shard.
    expect(flusher.queues.producers).toEqual(read("flusher", "repo").queues.producers);
    for (const worker of WORKER_NAMES) {
      const { queues: _, ...repo } = withAbsolutePaths(read(worker, "repo"));
      const { queues: __, ...generated } = withAbsolutePaths(read(worker, "generated"));
      for (const field of Object.keys(repo).filter((field) => ![...ACCOUNT_FIELDS, "d1_databases"].includes(field))) expect({ [field]: generated[field] }).toEqual({ [field]: repo[field] });
    }
  });

  it("refuses a PIXEL_QUEUE_SHARDS that is not a whole number from 1 to 16", () => {
    for (const shards of ["0", "17", "2.5", "many"]) expect(() => deployConfigFrom({ ...ENV, PIXEL_QUEUE_SHARDS: shards })).toThrow(/PIXEL_QUEUE_SHARDS is a whole number from 1 to 16/);
    expect(deployConfigFrom({ ...ENV, PIXEL_QUEUE_SHARDS: "16" }).queueShards).toBe(16);
    expect(deployConfigFrom(ENV).queueShards).toBe(1);
  });

  it("the repo's configs declare every kind of binding the comparison above must carry", () => {
    const configs = WORKER_NAMES.map((worker) => unstable_readConfig({ config: wranglerConfigPath(worker) }));
    const declared = (pick: (config: (typeof configs)[number]) => unknown[] | undefined) => configs.some((config) => (pick(config) ?? []).length > 0);
    expect(declared((c) => c.ratelimits)).toBe(true);
    expect(declared((c) => c.queues.producers)).toBe(true);
    expect(declared((c) => c.queues.consumers?.filter((consumer: { dead_letter_queue?: string }) => consumer.dead_letter_queue))).toBe(true);
    expect(declared((c) => c.d1_databases)).toBe(true);
    expect(declared((c) => c.r2_buckets)).toBe(true);
    expect(declared((c) => c.durable_objects.bindings)).toBe(true);
    expect(declared((c) => c.migrations)).toBe(true);
    expect(declared((c) => c.triggers.crons)).toBe(true);
    expect(declared((c) => (c.observability?.enabled ? [c.observability] : []))).toBe(true);
    expect(declared((c) => Object.keys(c.vars))).toBe(true);
  });
});

/** A parsed config with its paths made absolute (wrangler leaves watch_dir relative to the working folder), so configs in two places compare. */
function withAbsolutePaths(config: ReturnType<typeof unstable_readConfig>): Record<string, unknown> {
  const from = (path: string) => (isAbsolute(path) ? path : resolve(dirname(config.configPath!), path));
  return {
    ...config,
    // Without a command wrangler runs no build, and its defaults then point at a `src` folder beside the config.
    build: config.build?.command && { ...config.build, cwd: config.build.cwd && from(config.build.cwd), watch_dir: [config.build.watch_dir].flat().map((dir) => resolve(dir)) },
    d1_databases: config.d1_databases.map((database: { migrations_dir?: string }) => ({ ...database, migrations_dir: database.migrations_dir && from(database.migrations_dir) })),
  };
}

describe("the Workers as wrangler would deploy them", () => {
  it.each(WORKER_NAMES)("every binding the %s code uses is declared in its wrangler config", (worker) => {
    const declared = bindingNames(readWorkerConfig(worker));
    const used = bindingsDeclaredIn(join(ROOT, "workers", worker, "src", "env.ts"));
    expect(used.length).toBeGreaterThan(0);
    expect(declared).toEqual(expect.arrayContaining(used));
  });

  it("bundles each generated config with `wrangler deploy --dry-run`", async () => {
    await deploy(deployConfigFrom(ENV), deps(fakeAccount(), []));
    for (const worker of WORKER_NAMES) {
      const bundleDir = join(outDir, `bundle-${worker}`);
      const { stdout } = await promisify(execFile)(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", bundleDir, "-c", join(outDir, `${worker}.wrangler.json`)], {
        cwd: ROOT,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      });
      expect(stdout).toContain("--dry-run: exiting now.");
      expect(readdirSync(bundleDir).some((file) => file.endsWith(".js"))).toBe(true);
    }
  }, 120_000);
});

/** Binding names as a Worker's Env interface declares them: `NAME: D1Database`, `NAME: Queue<…>`, … */
function bindingsDeclaredIn(envFile: string): string[] {
  const source = readFileSync(envFile, "utf8");
  return [...source.matchAll(/^\s+([A-Z][A-Z0-9_]*)\??: (?:D1Database|Queue<|DurableObjectNamespace|R2Bucket|KVNamespace|RateLimit)/gm)].map((match) => match[1]!);
}
