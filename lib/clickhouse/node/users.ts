import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ClickHouseConfig, clickHouseConfigFromEnv, connectClickHouse } from "../client";
import { CLICKHOUSE_USERS, type ClickHouseUser, grantedOn, parseUsersSql, renderUsersSql } from "../users";
import { statementsOf } from "./migrate";

export const USERS_SQL_PATH = fileURLToPath(new URL("../../../deploy/clickhouse/users.sql", import.meta.url));

export const readUsersSql = (): string => readFileSync(USERS_SQL_PATH, "utf8");

/** users.sql for `database`, as `npm run deploy` prints it. */
export const usersSqlFor = (database: string): string => renderUsersSql(readUsersSql(), database);

/** The local bootstrap admin, like ClickHouse Cloud's `default`: may do anything; tests seed with it, no Worker gets it. */
export const LOCAL_ADMIN = "default";

/** A password for the local admin and for every user in users.sql. */
export type LocalPasswords = Record<string, string>;

const newPassword = (): string => randomBytes(18).toString("base64url");

export function newPasswords(): LocalPasswords {
  const names = [LOCAL_ADMIN, ...parseUsersSql(readUsersSql()).map((user) => user.name)];
  return Object.fromEntries(names.map((name) => [name, newPassword()]));
}

/** Local passwords kept in `file` (created on first use, readable by the owner only), so data survives restarts. */
export function localPasswords(file: string): LocalPasswords {
  const kept: LocalPasswords = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const passwords = { ...newPasswords(), ...kept };
  if (Object.keys(passwords).some((name) => !(name in kept))) writeFileSync(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  return passwords;
}

/** The local stack's passwords, kept with its data (`npm run dev`, `npm run seed`). */
export const localPasswordsIn = (dataDir: string): LocalPasswords => localPasswords(join(dataDir, "clickhouse-passwords.json"));

/** A user the local server accepts; without `access` (the admin) nothing is restricted. */
export interface LocalUser {
  name: string;
  password: string;
  access?: ClickHouseUser;
}

/** The local server's users: the admin plus users.sql's users, granted on each of `databases`. */
export function localUsers(passwords: LocalPasswords, databases: readonly string[]): LocalUser[] {
  const users = grantedOn(parseUsersSql(readUsersSql()), databases);
  return [
    { name: LOCAL_ADMIN, password: passwordOf(passwords, LOCAL_ADMIN) },
    ...users.map((access) => ({ name: access.name, password: passwordOf(passwords, access.name), access })),
  ];
}

function passwordOf(passwords: LocalPasswords, name: string): string {
  const password = passwords[name];
  if (!password) throw new Error(`no local ClickHouse password for ${name}`);
  return password;
}

/** Each Worker's ClickHouse credentials, as `npm run deploy` gives them: the documented user of each. */
export function workerClickHouseEnv(worker: "collector" | "flusher" | "api", passwords: LocalPasswords): Record<string, string> {
  if (worker === "flusher") return credentials(CLICKHOUSE_USERS.flusher, passwords);
  if (worker === "api") {
    return {
      ...credentials(CLICKHOUSE_USERS.api, passwords),
      CLICKHOUSE_WRITE_USER: CLICKHOUSE_USERS.data,
      CLICKHOUSE_WRITE_PASSWORD: passwordOf(passwords, CLICKHOUSE_USERS.data),
    };
  }
  return {};
}

const credentials = (user: string, passwords: LocalPasswords) => ({ CLICKHOUSE_USER: user, CLICKHOUSE_PASSWORD: passwordOf(passwords, user) });

/** An external ClickHouse's admin from CLICKHOUSE_URL / CLICKHOUSE_USER / CLICKHOUSE_PASSWORD; unset: the embedded one. */
export function externalAdmin(env: Record<string, string | undefined>): Omit<ClickHouseConfig, "database"> | undefined {
  if (!env.CLICKHOUSE_URL) return undefined;
  const { database: _, ...admin } = clickHouseConfigFromEnv(env);
  return admin;
}

/**
 * users.sql as an admin runs it on an external server: the local passwords in place of the placeholders, and every
 * grant given on each of `databases` (later CREATE USER OR REPLACE would drop earlier grants, so each runs once).
 */
export function usersSqlStatements(passwords: LocalPasswords, databases: readonly string[]): string[] {
  const statements = databases.flatMap((database) => statementsOf(renderUsersSql(readUsersSql(), database)));
  return [...new Set(statements)].map((statement) =>
    statement.replace(/'<(\w+) password>'/g, (_, name: string) => `'${passwordOf(passwords, name).replace(/['\\]/g, "\\$&")}'`),
  );
}

/** Creates (or updates) users.sql's users, profiles and databases on an external server, as its admin. */
export async function provisionUsers(admin: Omit<ClickHouseConfig, "database">, passwords: LocalPasswords, databases: readonly string[]): Promise<void> {
  const client = connectClickHouse({ ...admin, database: "default" });
  try {
    for (const query of usersSqlStatements(passwords, databases)) await client.command({ query });
  } finally {
    await client.close();
  }
}
