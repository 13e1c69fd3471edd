import { inject } from "vitest";
import type { ClickHouseConfig } from "../../lib/clickhouse/client";
import { LOCAL_ADMIN, type LocalPasswords } from "../../lib/clickhouse/node/users";

/** The run's local admin: what the end-to-end tests seed, inspect and migrate with. */
export const testAdmin = () => ({ username: LOCAL_ADMIN, password: inject("clickHousePasswords")[LOCAL_ADMIN] });

export const testClickHouse = (database: string): ClickHouseConfig => ({ url: inject("clickHouseUrl"), database, ...testAdmin() });

/** The Workers' passwords on it: every Worker in a test stack runs as its users.sql user. */
export const testClickHousePasswords = (): LocalPasswords => inject("clickHousePasswords");
