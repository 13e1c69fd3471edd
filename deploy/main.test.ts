import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { ROOT } from "./workers";

it("prints deploy/clickhouse/users.sql for the configured database", async () => {
  const env = { ...process.env, CLICKHOUSE_DATABASE: "analytics", WRANGLER_SEND_METRICS: "false" };
  const { stdout } = await promisify(execFile)(join(ROOT, "node_modules/.bin/tsx"), ["deploy/main.ts", "--dry-run"], { cwd: ROOT, env });
  expect(stdout).toContain("The ClickHouse users (deploy/clickhouse/users.sql)");
  expect(stdout).toContain("CREATE USER OR REPLACE pixel_reader IDENTIFIED BY '<pixel_reader password>' SETTINGS PROFILE 'pixel_reader_profile';");
  expect(stdout).toContain("GRANT SELECT ON analytics.* TO pixel_reader;");
  expect(stdout).not.toContain("ON pixel.*");
}, 60_000);
