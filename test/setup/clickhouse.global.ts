import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateClickHouse } from "../../lib/clickhouse/node/migrate";
import { type LocalPasswords, localUsers, newPasswords } from "../../lib/clickhouse/node/users";
import { CLICKHOUSE_USERS } from "../../lib/clickhouse/users";
import { startClickHouseServer } from "../../dev/clickhouse-server/server";
import { TEST_DATABASES } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    clickHouseUrl: string;
    /** Passwords of the local admin and of every users.sql user, fresh for each run. */
    clickHousePasswords: LocalPasswords;
  }
}

/**
 * One real local ClickHouse (chDB) for the whole run, in a throwaway folder, enforcing deploy/clickhouse/users.sql
 * on every test database; the migrator applies the migrations, as in production.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-test-clickhouse-"));
  const passwords = newPasswords();
  const databases = Object.values(TEST_DATABASES);
  const server = await startClickHouseServer({ port: 0, dataDir, users: localUsers(passwords, databases) });
  const migrator = { url: server.url, username: CLICKHOUSE_USERS.migrator, password: passwords[CLICKHOUSE_USERS.migrator] };
  for (const database of databases) await migrateClickHouse({ ...migrator, database }, () => {});
  project.provide("clickHouseUrl", server.url);
  project.provide("clickHousePasswords", passwords);
  return async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
