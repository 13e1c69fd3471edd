import { describe, expect, it } from "vitest";
import { newPasswords, readUsersSql, usersSqlStatements } from "./users";
import { applyUsersSql, CLICKHOUSE_USERS, emptyAccess, grantedOn, parseUsersSql, renderUsersSql, resolveUsers } from "../users";

describe("deploy/clickhouse/users.sql", () => {
  const users = parseUsersSql(readUsersSql());
  const user = (name: string) => users.find((each) => each.name === name)!;

  it("creates every documented user, each with grants on pixel only", () => {
    expect(users.map((each) => each.name).sort()).toEqual(Object.values(CLICKHOUSE_USERS).sort());
    for (const each of users) expect(each.grants.every((grant) => grant.database === "pixel")).toBe(true);
  });

  it("gives the reader SELECT, readonly = 2 and bounded limits; the writers no DDL", () => {
    const reader = user(CLICKHOUSE_USERS.api);
    expect(reader.grants.flatMap((grant) => grant.privileges)).toEqual(["SELECT"]);
    expect(reader.settings.readonly).toEqual({ value: "2" });
    for (const name of ["max_execution_time", "max_memory_usage", "max_rows_to_read", "max_bytes_to_read"]) {
      expect(reader.settings[name]).toMatchObject({ min: "1", max: expect.any(String) });
    }
    expect(user(CLICKHOUSE_USERS.flusher).grants.flatMap((grant) => grant.privileges)).toEqual(["SELECT", "INSERT"]);
    expect(user(CLICKHOUSE_USERS.data).grants.flatMap((grant) => grant.privileges)).toEqual(["SELECT", "INSERT", "ALTER DELETE", "ALTER UPDATE"]);
  });

  it("renders for another database and grants on test databases", () => {
    const rendered = renderUsersSql(readUsersSql(), "analytics");
    expect(rendered).toContain("CREATE DATABASE IF NOT EXISTS analytics;");
    expect(rendered).not.toMatch(/ON pixel\./);
    expect(parseUsersSql(rendered).every((each) => each.grants.every((grant) => grant.database === "analytics"))).toBe(true);
    expect(() => renderUsersSql(readUsersSql(), "x; DROP")).toThrow(/plain ClickHouse database name/);
    const granted = grantedOn(users, ["a", "b"]).find((each) => each.name === CLICKHOUSE_USERS.api)!;
    expect(granted.grants.map((grant) => grant.database)).toEqual(["a", "b"]);
  });

  it("refuses SQL outside the subset the local server enforces", () => {
    expect(() => parseUsersSql("CREATE QUOTA q;")).toThrow(/only CREATE DATABASE, CREATE SETTINGS PROFILE, CREATE ROLE, CREATE USER and GRANT/);
    expect(() => parseUsersSql("CREATE USER u IDENTIFIED BY 'p' SETTINGS PROFILE 'missing';")).toThrow(/unknown settings profile/);
    expect(() => parseUsersSql("GRANT SELECT ON pixel.* TO ghost;")).toThrow(/not created above/);
    expect(() => parseUsersSql("GRANT SELECT ON pixel.events TO u;")).toThrow(/expected \*/);
  });

  it("reads values, MIN, MAX and CONST / CHANGEABLE_IN_READONLY", () => {
    const [parsed] = parseUsersSql(`
      CREATE SETTINGS PROFILE IF NOT EXISTS p SETTINGS a = 1 MIN = -5 MAX 10 CONST, b CHANGEABLE_IN_READONLY, c = 'x''y';
      CREATE USER u IDENTIFIED BY 'secret' SETTINGS PROFILE 'p';`);
    expect(parsed!.settings).toEqual({ a: { value: "1", min: "-5", max: "10", writability: "CONST" }, b: { writability: "CHANGEABLE_IN_READONLY" }, c: { value: "x'y" } });
  });
});

describe("users.sql for an external server", () => {
  const passwords = newPasswords();

  it("puts each user's local password in and grants on every database, creating each user once", () => {
    const statements = usersSqlStatements(passwords, ["a", "b"]);
    expect(statements.join("\n")).not.toMatch(/<\w+ password>/);
    expect(statements).toContain(`CREATE USER OR REPLACE ${CLICKHOUSE_USERS.api} IDENTIFIED BY '${passwords[CLICKHOUSE_USERS.api]}' SETTINGS PROFILE 'pixel_reader_profile'`);
    expect(statements.filter((sql) => sql.startsWith(`CREATE USER OR REPLACE ${CLICKHOUSE_USERS.api} `))).toHaveLength(1);
    expect(statements.filter((sql) => sql.startsWith("CREATE DATABASE"))).toEqual(["CREATE DATABASE IF NOT EXISTS a", "CREATE DATABASE IF NOT EXISTS b"]);
    const lastCreate = Math.max(...statements.map((sql, at) => (sql.startsWith("CREATE USER") ? at : -1)));
    expect(statements.findIndex((sql) => sql.endsWith(`ON b.* TO ${CLICKHOUSE_USERS.api}`))).toBeGreaterThan(lastCreate);
  });

  it("leaves the same users when it runs again, as ClickHouse does", () => {
    const sql = usersSqlStatements(passwords, ["a", "b"]).join(";\n");
    const once = resolveUsers(applyUsersSql(sql, emptyAccess()));
    expect(resolveUsers(applyUsersSql(sql, applyUsersSql(sql, emptyAccess())))).toEqual(once);
    expect(once.find((user) => user.name === CLICKHOUSE_USERS.api)).toMatchObject({ password: passwords[CLICKHOUSE_USERS.api], grants: [{ database: "a" }, { database: "b" }] });
  });

  it("keeps an existing user on IF NOT EXISTS and refuses a plain second CREATE", () => {
    const state = applyUsersSql("CREATE USER u IDENTIFIED BY 'one'", emptyAccess());
    applyUsersSql("CREATE USER IF NOT EXISTS u IDENTIFIED BY 'two'", state);
    expect(resolveUsers(state)[0]!.password).toBe("one");
    expect(() => applyUsersSql("CREATE USER u IDENTIFIED BY 'three'", state)).toThrow(/already exists/);
  });
});
