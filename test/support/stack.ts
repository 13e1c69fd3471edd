import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "@pixel/dev/stack/index";
import { type ClickHouseConfig, connectClickHouse } from "@pixel/lib/clickhouse/client";
import { type EventRow, insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { TEST_DATABASES } from "../setup/databases";
import { launchBrowser } from "./chromium";
import { testClickHouse, testClickHousePasswords } from "./clickhouse";

/** The whole local stack on free ports with the built dashboard, against the test run's ClickHouse database. */
export function startTestStack(dataDir: string, adminPassword: string, clickHouse: ClickHouseConfig): Promise<Stack> {
  return startStack({
    dataDir,
    ports: { clickhouse: 0, collector: 0, api: 0, dashboard: 0, demo: 0 },
    adminPassword,
    sessionSecret: "e2e-session-secret-that-is-long-enough",
    clickHouse,
    clickHousePasswords: testClickHousePasswords(),
    dashboard: "static",
    log: () => {},
  });
}

/**
 * A stack in a fresh data folder whose site already holds `rows` (built from the site's id), and a browser: what a
 * dashboard e2e file starts from. `stop` closes both and removes the folder.
 */
export async function seededDashboard(name: string, adminPassword: string, rows: (siteId: string) => EventRow[]) {
  const dataDir = mkdtempSync(join(tmpdir(), `pixel-e2e-${name}-`));
  const clickHouse = testClickHouse(TEST_DATABASES.dashboard);
  const stack = await startTestStack(dataDir, adminPassword, clickHouse);
  const client = connectClickHouse(clickHouse);
  await insertEvents(client, rows(stack.siteId));
  await client.close();
  const browser = await launchBrowser();
  const stop = async () => {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { stack, browser, stop };
}
