import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const WORKER_NAMES = ["collector", "flusher", "api"] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

/** The collector's config is the repo's root wrangler.toml: `wrangler deploy` there puts it on the site's route. */
export const wranglerConfigPath = (worker: WorkerName) =>
  worker === "collector" ? `${ROOT}wrangler.toml` : `${ROOT}workers/${worker}/wrangler.toml`;

/** What a Worker's wrangler.toml asks Cloudflare to have: its bindings and the resources behind them. */
export interface WorkerConfig {
  worker: WorkerName;
  name: string;
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, unknown>;
  queueProducers: { binding: string; queue: string }[];
  queueConsumers: Record<string, unknown>[];
  d1: { binding: string; database_name: string; migrations_dir?: string }[];
  r2: { binding: string; bucket_name: string }[];
  durableObjects: { name: string; class_name: string }[];
  migrations: unknown[];
  triggers: { crons: string[] };
  /** Workers Logs: keeps the JSON log lines (docs/deploy.md, "Operate"). */
  observability?: { enabled: boolean; head_sampling_rate?: number };
  /** The custom build wrangler runs before bundling (the collector builds pixel.js). */
  build?: { command: string; cwd: string };
}

export function readWorkerConfig(worker: WorkerName): WorkerConfig {
  const path = wranglerConfigPath(worker);
  const config = unstable_readConfig({ config: path });
  const fromConfigDir = (relative: string) => resolve(dirname(path), relative);
  return {
    worker,
    name: config.name!,
    main: config.main!,
    compatibilityDate: config.compatibility_date!,
    compatibilityFlags: config.compatibility_flags ?? [],
    vars: config.vars ?? {},
    queueProducers: (config.queues?.producers ?? []).map((producer: { binding: string; queue: string }) => ({
      binding: producer.binding,
      queue: producer.queue,
    })),
    queueConsumers: (config.queues?.consumers ?? []) as Record<string, unknown>[],
    d1: config.d1_databases.map((database: { binding: string; database_name?: string; migrations_dir?: string }) => ({
      binding: database.binding,
      database_name: database.database_name!,
      migrations_dir: database.migrations_dir && fromConfigDir(database.migrations_dir),
    })),
    r2: config.r2_buckets.map((bucket: { binding: string; bucket_name?: string }) => ({ binding: bucket.binding, bucket_name: bucket.bucket_name! })),
    durableObjects: config.durable_objects.bindings.map((object: { name: string; class_name: string }) => ({
      name: object.name,
      class_name: object.class_name,
    })),
    migrations: config.migrations,
    triggers: { crons: config.triggers?.crons ?? [] },
    observability: config.observability?.enabled === undefined ? undefined : { enabled: config.observability.enabled, head_sampling_rate: config.observability.head_sampling_rate },
    build: config.build?.command ? { command: config.build.command, cwd: fromConfigDir(config.build.cwd ?? ".") } : undefined,
  };
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
  ];
}
