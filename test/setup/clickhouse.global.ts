import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type ClickHouseConfig, connectClickHouse } from "@pixel/lib/clickhouse/client";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { externalAdmin, LOCAL_ADMIN, type LocalPasswords, localUsers, newPasswords, provisionUsers } from "@pixel/lib/clickhouse/node/users";
import { CLICKHOUSE_USERS } from "@pixel/lib/clickhouse/users";
import { startClickHouseServer } from "@pixel/dev/clickhouse-server/server";
import { TEST_DATABASES } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    clickHouseUrl: string;
    /** The admin tests seed and inspect with: the embedded server's `default`, or CLICKHOUSE_USER. */
    clickHouseAdmin: string;
    /** Passwords of the admin and of every users.sql user, fresh for each run. */
    clickHousePasswords: LocalPasswords;
  }
}

type Admin = Omit<ClickHouseConfig, "database">;
const databases = Object.values(TEST_DATABASES);

/**
 * One real ClickHouse for the whole run, with deploy/clickhouse/users.sql in force on every test database; the
 * migrator applies the migrations, as in production. By default a local one (chDB) in a throwaway folder; with
 * CLICKHOUSE_URL (+ CLICKHOUSE_USER, CLICKHOUSE_PASSWORD: an admin) that server, whose test databases start empty.
 */
export default async function setup(project: TestProject) {
  const passwords = newPasswords();
  const external = externalAdmin(process.env);
  const { admin, close } = external ? await onExternal(external, passwords) : await embedded(passwords);
  const migrator = { url: admin.url, username: CLICKHOUSE_USERS.migrator, password: passwords[CLICKHOUSE_USERS.migrator] };
  for (const database of databases) await migrateClickHouse({ ...migrator, database }, () => {});
  project.provide("clickHouseUrl", admin.url);
  project.provide("clickHouseAdmin", admin.username!);
  project.provide("clickHousePasswords", { ...passwords, [admin.username!]: admin.password! });
  return close;
}

async function embedded(passwords: LocalPasswords): Promise<{ admin: Admin; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-test-clickhouse-"));
  const server = await startClickHouseServer({ port: 0, dataDir, users: localUsers(passwords, databases) });
  const close = async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { admin: { url: server.url, username: LOCAL_ADMIN, password: passwords[LOCAL_ADMIN] }, close };
}

/** Drops the test databases a previous run left, then applies users.sql with this run's passwords. */
async function onExternal(admin: Admin, passwords: LocalPasswords): Promise<{ admin: Admin; close: () => Promise<void> }> {
  const client = connectClickHouse({ ...admin, database: "default" });
  try {
    for (const database of databases) await client.command({ query: `DROP DATABASE IF EXISTS ${database} SYNC` });
  } finally {
    await client.close();
  }
  await provisionUsers(admin, passwords, databases);
  return { admin, close: async () => {} };
}
