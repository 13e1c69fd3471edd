import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { Stack } from "../../../dev/stack/index";
import { type ClickHouseConfig, connectClickHouse } from "../../../lib/clickhouse/client";
import { TEST_DATABASES } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";
import { startTestStack } from "../../support/stack";

/**
 * One local stack for the file, on the dashboard tests' database, seeded by `seed` before Chromium starts; all of it
 * stopped and deleted after the file.
 */
export function useDashboardStack(name: string, adminPassword: string, seed: (stack: Stack, client: ReturnType<typeof connectClickHouse>) => Promise<unknown>) {
  let stack: Stack;
  let browser: BrowserContext;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `pixel-e2e-${name}-`));
    const clickHouse: ClickHouseConfig = testClickHouse(TEST_DATABASES.dashboard);
    stack = await startTestStack(dataDir, adminPassword, clickHouse);
    const client = connectClickHouse(clickHouse);
    await seed(stack, client);
    await client.close();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { stack: () => stack, browser: () => browser };
}
