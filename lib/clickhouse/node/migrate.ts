import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createClient } from "@clickhouse/client-web";
import type { ClickHouseConfig } from "../client";
import { statementFor, topologyOf } from "./topology";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ""),
      sql: readFileSync(`${dir}/${file}`, "utf8"),
    }));
}

/** Splits a migration into statements: `;` at the end of a line ends one. Comment lines are dropped. */
export function statementsOf(sql: string): string[] {
  const withoutComments = sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n");
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

const checksum = (sql: string) => createHash("sha256").update(sql).digest("hex").slice(0, 16);

/**
 * Applies every migration not yet recorded in `schema_migrations`, in order. Safe to run again:
 * applied versions are skipped, and a changed applied migration stops the run instead of drifting.
 */
export async function migrateClickHouse(
  config: ClickHouseConfig & { topology?: string },
  log: (line: string) => void = console.log,
  migrations: Migration[] = loadMigrations(),
): Promise<{ applied: string[] }> {
  const auth = { url: config.url, username: config.username, password: config.password };
  const server = createClient(auth);
  const db = createClient({ ...auth, database: config.database });
  try {
    const topology = topologyOf(config.topology);
    await server.command({
      query: statementFor("CREATE DATABASE IF NOT EXISTS {database:Identifier}", topology),
      query_params: { database: config.database },
    });
    await db.command({
      query: statementFor(`CREATE TABLE IF NOT EXISTS schema_migrations
        (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
        ENGINE = MergeTree ORDER BY version`, topology),
    });
    const done = await (
      await db.query({ query: "SELECT version, checksum FROM schema_migrations", format: "JSONEachRow" })
    ).json<{ version: number; checksum: string }>();
    const doneByVersion = new Map(done.map((row) => [row.version, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const known = doneByVersion.get(migration.version);
      if (known !== undefined) {
        if (known !== checksum(migration.sql)) {
          throw new Error(
            `migration ${migration.name} changed after it was applied; add a new migration instead of editing it`,
          );
        }
        continue;
      }
      const started = Date.now();
      for (const statement of statementsOf(migration.sql)) await db.command({ query: statementFor(statement, topology) });
      await db.insert({
        table: "schema_migrations",
        values: [{ version: migration.version, name: migration.name, checksum: checksum(migration.sql) }],
        format: "JSONEachRow",
      });
      log(`  applied ${migration.name} (${Date.now() - started} ms)`);
      applied.push(migration.name);
    }
    log(`ClickHouse schema up to date in database "${config.database}" (${topology.kind}, ${applied.length} applied, ${migrations.length} total)`);
    return { applied };
  } finally {
    await Promise.all([server.close(), db.close()]);
  }
}

