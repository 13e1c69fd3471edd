import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateClickHouse } from "../../lib/clickhouse/node/migrate";
import { startClickHouseServer } from "../../dev/clickhouse-server/server";
import { TEST_DATABASES } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    clickHouseUrl: string;
  }
}

/** One real local ClickHouse (chDB) for the whole run, in a throwaway folder, with every test database migrated. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), "pixel-test-clickhouse-"));
  const server = await startClickHouseServer({ port: 0, dataDir });
  for (const database of Object.values(TEST_DATABASES)) {
    await migrateClickHouse({ url: server.url, database }, () => {});
  }
  project.provide("clickHouseUrl", server.url);
  return async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
