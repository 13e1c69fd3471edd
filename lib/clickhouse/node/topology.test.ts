import { describe, expect, inject, it } from "vitest";
import { createClient } from "@clickhouse/client-web";
import { testAdmin } from "@pixel/test/support/clickhouse";
import { loadMigrations, statementsOf } from "./migrate";
import { statementFor, topologyOf, type Topology } from "./topology";

const statements = loadMigrations().flatMap((migration) => statementsOf(migration.sql));
const cluster: Topology = { kind: "cluster", cluster: "pixel_cluster" };
const replicatedDatabase: Topology = { kind: "replicated-database" };

/** The local engine's own parser, formatting the statement back: what it cannot parse fails the query. */
async function parsed(statement: string): Promise<string> {
  const client = createClient({ url: inject("clickHouseUrl"), ...testAdmin() });
  try {
    const [row] = await (await client.query({ query: "SELECT formatQuerySingleLine({statement:String}) AS ddl", query_params: { statement }, format: "JSONEachRow" })).json<{ ddl: string }>();
    return row.ddl;
  } finally {
    await client.close();
  }
}

describe("migration DDL per ClickHouse topology", { timeout: 60_000 }, () => {
  it("leaves every statement byte-identical on one server or ClickHouse Cloud", () => {
    for (const statement of statements) expect(statementFor(statement, { kind: "single" })).toBe(statement);
  });

  it("reads CLICKHOUSE_TOPOLOGY, refusing a cluster name that is not one", () => {
    expect(topologyOf(undefined)).toEqual({ kind: "single" });
    expect(topologyOf("single")).toEqual({ kind: "single" });
    expect(topologyOf("replicated-database")).toEqual(replicatedDatabase);
    expect(topologyOf("cluster:pixel_cluster")).toEqual(cluster);
    for (const wrong of ["cluster:", "cluster:x' SYNC; DROP TABLE events", "sharded"]) {
      expect(() => topologyOf(wrong)).toThrow(/CLICKHOUSE_TOPOLOGY is single, replicated-database or cluster:<name>/);
    }
  });

  it("runs every statement ON CLUSTER with Replicated engines on a named cluster, in DDL the engine parses", async () => {
    const ddl = await Promise.all(statements.map((statement) => parsed(statementFor(statement, cluster))));
    expect(ddl.filter((statement) => /^(CREATE|ALTER)/.test(statement) && !statement.includes("ON CLUSTER pixel_cluster"))).toEqual([]);
    expect(ddl.filter((statement) => /ENGINE = (?!Replicated)\w*MergeTree/.test(statement))).toEqual([]);
    expect(ddl.join("\n")).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', until)");
    expect(await parsed(statementFor("CREATE DATABASE IF NOT EXISTS {database:Identifier}", cluster))).toBe("CREATE DATABASE IF NOT EXISTS {database:Identifier} ON CLUSTER pixel_cluster");
  });

  it("uses Replicated engines with the database's default paths, and no ON CLUSTER, in a Replicated database", async () => {
    const ddl = await Promise.all(statements.map((statement) => parsed(statementFor(statement, replicatedDatabase))));
    expect(ddl.filter((statement) => statement.includes("ON CLUSTER"))).toEqual([]);
    const engines = ddl.flatMap((statement) => statement.match(/ENGINE = \w+(\([^)]*\))?/g) ?? []);
    expect(engines).toEqual([
      "ENGINE = ReplicatedReplacingMergeTree",
      "ENGINE = ReplicatedReplacingMergeTree",
      "ENGINE = ReplicatedAggregatingMergeTree",
      "ENGINE = ReplicatedAggregatingMergeTree",
      "ENGINE = ReplicatedReplacingMergeTree(until)",
      "ENGINE = ReplicatedAggregatingMergeTree",
      "ENGINE = ReplicatedMergeTree",
      "ENGINE = ReplicatedMergeTree",
      "ENGINE = ReplicatedMergeTree",
      "ENGINE = ReplicatedMergeTree",
      "ENGINE = ReplicatedAggregatingMergeTree",
    ]);
  });
});
