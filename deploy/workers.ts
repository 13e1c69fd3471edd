import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { experimental_readRawConfig, type Unstable_RawConfig } from "wrangler";
import { HITS_BINDING, HITS_QUEUE, shardBinding, shardQueue } from "../lib/events/shards"; // relative: vitest.config.ts loads this file before the @pixel aliases exist

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const WORKER_NAMES = ["collector", "flusher", "api"] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

/** The collector's config is the repo's root wrangler.toml: `wrangler deploy` there puts it on the site's route. */
export const wranglerConfigPath = (worker: WorkerName) =>
  worker === "collector" ? `${ROOT}wrangler.toml` : `${ROOT}workers/${worker}/wrangler.toml`;

/** Where `npm run deploy` writes this account's concrete configs; `create-admin --remote` finds the real D1 there. */
export const DEPLOY_DIR = join(process.env.PIXEL_DATA_DIR ?? join(ROOT, ".pixel"), "deploy");

/** The concrete wrangler config the deploy wrote for a Worker. */
export const deployedConfigPath = (deployDir: string, worker: WorkerName) => join(deployDir, `${worker}.wrangler.json`);

/** The dashboard's Pages config: its Functions reach the api Worker over the service binding it declares. */
export const PAGES_CONFIG_PATH = `${ROOT}pages/dashboard/wrangler.toml`;

/** A repo wrangler config as written, plus the resources it asks Cloudflare to have. */
export interface WorkerConfig {
  worker: WorkerName;
  name: string;
  /** The config as written in the repo, with every path made absolute so it can be written anywhere. */
  raw: Unstable_RawConfig;
  queueProducers: { binding: string; queue: string }[];
  queueConsumers: { queue: string; dead_letter_queue?: string }[];
  d1: { binding: string; database_name: string; migrations_dir?: string }[];
  r2: { binding: string; bucket_name: string }[];
  durableObjects: { name: string; class_name: string }[];
}

export function readWorkerConfig(worker: WorkerName): WorkerConfig {
  const raw = readRawConfig(wranglerConfigPath(worker));
  return {
    worker,
    name: raw.name!,
    raw,
    queueProducers: raw.queues?.producers ?? [],
    queueConsumers: raw.queues?.consumers ?? [],
    d1: (raw.d1_databases ?? []).map((database) => ({ ...database, database_name: database.database_name! })),
    r2: (raw.r2_buckets ?? []).map((bucket) => ({ binding: bucket.binding, bucket_name: bucket.bucket_name! })),
    durableObjects: raw.durable_objects?.bindings ?? [],
  };
}

/** A wrangler config as written, its relative paths resolved against the config's folder. */
export function readRawConfig(path: string): Unstable_RawConfig {
  const { rawConfig } = experimental_readRawConfig({ config: path });
  const from = (relative: string) => (isAbsolute(relative) ? relative : resolve(dirname(path), relative));
  const raw = structuredClone(rawConfig);
  if (raw.main) raw.main = from(raw.main);
  if (raw.pages_build_output_dir) raw.pages_build_output_dir = from(raw.pages_build_output_dir);
  if (raw.tsconfig) raw.tsconfig = from(raw.tsconfig);
  if (raw.base_dir) raw.base_dir = from(raw.base_dir);
  if (raw.assets?.directory) raw.assets.directory = from(raw.assets.directory);
  if (raw.build) {
    raw.build.cwd = from(raw.build.cwd ?? ".");
    if (raw.build.watch_dir) raw.build.watch_dir = [raw.build.watch_dir].flat().map(from);
  }
  for (const database of raw.d1_databases ?? []) if (database.migrations_dir) database.migrations_dir = from(database.migrations_dir);
  return raw;
}

/** Every queue a Worker produces to, consumes from, or dead-letters into. */
export function queuesOf(config: WorkerConfig): string[] {
  return [
    ...config.queueProducers.map((producer) => producer.queue),
    ...config.queueConsumers.flatMap((consumer) => [consumer.queue, consumer.dead_letter_queue].filter(Boolean) as string[]),
  ];
}

export function bindingNames(config: WorkerConfig): string[] {
  return [
    ...config.queueProducers.map((producer) => producer.binding),
    ...config.d1.map((database) => database.binding),
    ...config.r2.map((bucket) => bucket.binding),
    ...config.durableObjects.map((object) => object.name),
    ...(config.raw.ratelimits ?? []).map((limit) => limit.name),
  ];
}

/**
 * A Worker's config with the hits queue split into `shards` queues (docs/ingestion.md, "Past one queue"): the
 * collector gets a producer binding per shard (`HITS`, `HITS_1` …), and whoever consumes `pixel-hits` consumes every
 * shard with the same settings and dead-letter queue. Shard 0 is `pixel-hits` itself; one shard is the config as written.
 */
export function withQueueShards(config: WorkerConfig, shards: number): WorkerConfig {
  if (shards <= 1) return config;
  const more = Array.from({ length: shards - 1 }, (_, i) => i + 1);
  const producers = config.queueProducers.flatMap((producer) =>
    config.worker === "collector" && producer.binding === HITS_BINDING && producer.queue === HITS_QUEUE
      ? [producer, ...more.map((shard) => ({ ...producer, binding: shardBinding(shard), queue: shardQueue(shard) }))]
      : [producer],
  );
  const consumers = (config.raw.queues?.consumers ?? []).flatMap((consumer) =>
    consumer.queue === HITS_QUEUE ? [consumer, ...more.map((shard) => ({ ...consumer, queue: shardQueue(shard) }))] : [consumer],
  );
  const queues = { ...config.raw.queues, ...(producers.length ? { producers } : {}), ...(consumers.length ? { consumers } : {}) };
  return { ...config, raw: { ...config.raw, queues }, queueProducers: producers, queueConsumers: consumers };
}
