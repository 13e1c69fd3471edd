import { inject } from "vitest";
import type { ClickHouseConfig } from "@pixel/lib/clickhouse/client";
import { type LocalPasswords, provisionUsers } from "@pixel/lib/clickhouse/node/users";
import { TEST_DATABASES } from "../setup/databases";

/** The run's ClickHouse admin: what the end-to-end tests seed, inspect and migrate with. */
export const testAdmin = () => ({ username: inject("clickHouseAdmin"), password: inject("clickHousePasswords")[inject("clickHouseAdmin")] });

export const testClickHouse = (database: string): ClickHouseConfig => ({ url: inject("clickHouseUrl"), database, ...testAdmin() });

/** The Workers' passwords on it: every Worker in a test stack runs as its users.sql user. */
export const testClickHousePasswords = (): LocalPasswords => inject("clickHousePasswords");

/**
 * Applies users.sql again with the run's passwords and grants on every test database. On an external ClickHouse the
 * users are server-wide, so whatever applied it with other passwords or databases (`npm run dev`) took them away.
 */
export const restoreTestUsers = (): Promise<void> =>
  provisionUsers({ url: inject("clickHouseUrl"), ...testAdmin() }, testClickHousePasswords(), Object.values(TEST_DATABASES));
