/**
 * Where the migrations land, which decides how their DDL is written (docs/deploy.md, "ClickHouse topologies"):
 * - `single`: one server, or ClickHouse Cloud, whose SharedMergeTree takes plain MergeTree DDL; statements run as written.
 * - `replicated-database`: a database with `ENGINE = Replicated`, which replicates each DDL statement itself;
 *   tables need Replicated* engines, with the database's default paths.
 * - `cluster`: a named cluster of replicas of one shard; each statement runs `ON CLUSTER` with Replicated* engines.
 */
export type Topology = { kind: "single" } | { kind: "replicated-database" } | { kind: "cluster"; cluster: string };

/** Cluster names go into DDL as a quoted literal: only the characters remote_servers names use. */
const CLUSTER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** ZooKeeper path and replica name per table from each server's macros, as ClickHouse's docs lay them out. */
const REPLICA_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

/** Reads CLICKHOUSE_TOPOLOGY: empty or `single`, `replicated-database`, or `cluster:<name>`. */
export function topologyOf(setting: string | undefined): Topology {
  if (!setting || setting === "single") return { kind: "single" };
  if (setting === "replicated-database") return { kind: "replicated-database" };
  const cluster = setting.startsWith("cluster:") ? setting.slice("cluster:".length) : "";
  if (!CLUSTER_NAME.test(cluster)) {
    throw new Error(`CLICKHOUSE_TOPOLOGY is single, replicated-database or cluster:<name> with a cluster name from remote_servers (letters, digits, _ . -), not ${JSON.stringify(setting)}`);
  }
  return { kind: "cluster", cluster };
}

const ENGINE = /\bENGINE = (\w*)MergeTree\b(?:\(([^)]*)\))?/;
const NAMED_DDL = /^((?:CREATE (?:TABLE|MATERIALIZED VIEW|DATABASE) IF NOT EXISTS|ALTER TABLE) [\w.`{}:]+)/;

/** Rewrites one migration statement for the topology; on `single` it returns the statement unchanged. */
export function statementFor(statement: string, topology: Topology): string {
  if (topology.kind === "single") return statement;
  const replicated = statement.replace(ENGINE, (_, variant: string, args: string | undefined) => {
    const own = args?.trim() ? [args.trim()] : [];
    const engineArgs = topology.kind === "cluster" ? [REPLICA_PATH, ...own] : own;
    return `ENGINE = Replicated${variant}MergeTree${engineArgs.length ? `(${engineArgs.join(", ")})` : ""}`;
  });
  if (topology.kind === "replicated-database") return replicated;
  return replicated.replace(NAMED_DDL, `$1 ON CLUSTER '${topology.cluster}'`);
}
