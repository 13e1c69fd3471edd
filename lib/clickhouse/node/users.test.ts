import { describe, expect, it } from "vitest";
import { readUsersSql } from "./users";
import { CLICKHOUSE_USERS, grantedOn, parseUsersSql, renderUsersSql } from "../users";

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
    expect(() => parseUsersSql("CREATE QUOTA q;")).toThrow(/only CREATE DATABASE, CREATE SETTINGS PROFILE, CREATE USER and GRANT/);
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
