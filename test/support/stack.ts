import { startStack, type Stack } from "../../dev/stack/index";
import type { ClickHouseConfig } from "../../lib/clickhouse/client";
import { testClickHousePasswords } from "./clickhouse";

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
