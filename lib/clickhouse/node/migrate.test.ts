import { describe, expect, inject, it } from "vitest";
import { createClient } from "@clickhouse/client-web";
import { loadMigrations, migrateClickHouse, statementsOf } from "./migrate";

const url = () => inject("clickHouseUrl");

describe("ClickHouse migrations", () => {
  it("applies every migration once, and a second run applies nothing", async () => {
    const database = `pixel_migrate_${Date.now()}`;
    const first = await migrateClickHouse({ url: url(), database }, () => {});
    expect(first.applied).toEqual(loadMigrations().map((migration) => migration.name));
    const second = await migrateClickHouse({ url: url(), database }, () => {});
    expect(second.applied).toEqual([]);
    const client = createClient({ url: url(), database });
    const columns = await (await client.query({ query: "SELECT name FROM system.columns WHERE database = {db:String} AND table = 'events'", query_params: { db: database }, format: "JSONEachRow" })).json<{ name: string }>();
    await client.close();
    expect(columns.map((column) => column.name)).toEqual(expect.arrayContaining(["site_id", "event_id", "scroll_depth", "engaged_ms"]));
  });

  it("stops when an applied migration was edited", async () => {
    const database = `pixel_migrate_edit_${Date.now()}`;
    const migrations = [{ version: 1, name: "0001_t", sql: "CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = MergeTree ORDER BY x;" }];
    await migrateClickHouse({ url: url(), database }, () => {}, migrations);
    const edited = [{ ...migrations[0]!, sql: "CREATE TABLE IF NOT EXISTS t (x UInt16) ENGINE = MergeTree ORDER BY x;" }];
    await expect(migrateClickHouse({ url: url(), database }, () => {}, edited)).rejects.toThrow(/changed after it was applied/);
  });

  it("splits statements at semicolons that end a line and drops comment lines", () => {
    expect(statementsOf("-- note\nCREATE TABLE a (x String DEFAULT ';');\nALTER TABLE a ADD COLUMN y UInt8;\n")).toEqual([
      "CREATE TABLE a (x String DEFAULT ';')",
      "ALTER TABLE a ADD COLUMN y UInt8",
    ]);
  });
});
