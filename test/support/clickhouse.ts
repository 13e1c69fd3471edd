import { inject } from "vitest";
import type { ClickHouseConfig } from "@pixel/lib/clickhouse/client";
import type { LocalPasswords } from "@pixel/lib/clickhouse/node/users";

/** The run's ClickHouse admin: what the end-to-end tests seed, inspect and migrate with. */
export const testAdmin = () => ({ username: inject("clickHouseAdmin"), password: inject("clickHousePasswords")[inject("clickHouseAdmin")] });

export const testClickHouse = (database: string): ClickHouseConfig => ({ url: inject("clickHouseUrl"), database, ...testAdmin() });

/** The Workers' passwords on it: every Worker in a test stack runs as its users.sql user. */
export const testClickHousePasswords = (): LocalPasswords => inject("clickHousePasswords");
