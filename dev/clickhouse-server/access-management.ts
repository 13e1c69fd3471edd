// Users, roles and settings profiles made at run time by an admin (CREATE USER / ROLE / SETTINGS PROFILE, GRANT), as
// on a server with access management on: what `npm run clickhouse` serves as an "external" ClickHouse, which the dev
// runner and the tests set up with deploy/clickhouse/users.sql exactly as they would the official image.
import type { LocalUser } from "@pixel/lib/clickhouse/node/users";
import { type AccessState, applyUsersSql, emptyAccess, resolveUsers } from "@pixel/lib/clickhouse/users";
import { clickHouseError } from "./errors";

const ACCESS_STATEMENT = /^\s*(?:GRANT\b|CREATE\s+(?:OR\s+REPLACE\s+)?(?:USER|ROLE|SETTINGS\s+PROFILE|PROFILE)\b)/i;

export const isAccessStatement = (sql: string): boolean => ACCESS_STATEMENT.test(sql.replace(/^(?:\s*--[^\n]*\n)+/, ""));

export class AccessManagement {
  #state: AccessState = emptyAccess();

  /** `users` is the server's own map: the admins stay, the users made here are added and replaced in it. */
  constructor(private readonly users: Map<string, LocalUser>) {}

  apply(by: LocalUser | undefined, sql: string): void {
    if (by?.access) throw clickHouseError("ACCESS_DENIED", `${by.name}: Not enough privileges. To execute this query, it's necessary to have the grant ACCESS MANAGEMENT ON *.*`);
    const next = structuredClone(this.#state);
    let made: LocalUser[];
    try {
      made = resolveUsers(applyUsersSql(sql.replace(/;\s*$/, ""), next)).map((access) => ({ name: access.name, password: access.password ?? "", access }));
    } catch (error) {
      const message = (error as Error).message.replace(/^users\.sql: /, "");
      throw clickHouseError(/already exists/.test(message) ? "ACCESS_ENTITY_ALREADY_EXISTS" : "SYNTAX_ERROR", message);
    }
    const clash = made.find((user) => this.users.has(user.name) && !this.#state.users.has(user.name));
    if (clash) throw clickHouseError("ACCESS_ENTITY_ALREADY_EXISTS", `user \`${clash.name}\`: cannot insert because user \`${clash.name}\` already exists`);
    this.#state = next;
    for (const user of made) this.users.set(user.name, user);
  }
}
