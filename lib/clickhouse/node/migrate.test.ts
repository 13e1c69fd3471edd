import { describe, expect, inject, it } from "vitest";
import { createClient } from "@clickhouse/client-web";
import { testAdmin } from "@pixel/test/support/clickhouse";
import { loadMigrations, migrateClickHouse, statementsOf } from "./migrate";

/** The run's local ClickHouse as its admin: these tests create databases of their own. */
const server = () => ({ url: inject("clickHouseUrl"), ...testAdmin() });

// Each run applies every migration to a fresh database: seconds, and more with each migration.
describe("ClickHouse migrations", { timeout: 60_000 }, () => {
  it("applies every migration once, and a second run applies nothing", async () => {
    const database = `pixel_migrate_${Date.now()}`;
    const first = await migrateClickHouse({ ...server(), database }, () => {});
    expect(first.applied).toEqual(loadMigrations().map((migration) => migration.name));
    const second = await migrateClickHouse({ ...server(), database }, () => {});
    expect(second.applied).toEqual([]);
    const client = createClient({ ...server(), database });
    const columns = await (await client.query({ query: "SELECT name FROM system.columns WHERE database = {db:String} AND table = 'events'", query_params: { db: database }, format: "JSONEachRow" })).json<{ name: string }>();
    await client.close();
    expect(columns.map((column) => column.name)).toEqual(expect.arrayContaining(["site_id", "event_id", "scroll_depth", "engaged_ms"]));
  });

  it("writes its DDL for CLICKHOUSE_TOPOLOGY: a cluster the server does not know stops the run at the first statement", async () => {
    const database = `pixel_migrate_cluster_${Date.now()}`;
    await expect(migrateClickHouse({ ...server(), database, topology: "cluster:pixel_nowhere" }, () => {})).rejects.toThrow(/pixel_nowhere/);
  });

  it("fills the sessions table from events stored before it, then from every insert, counting a resent hit once", async () => {
    const database = `pixel_migrate_sessions_${Date.now()}`;
    await migrateClickHouse({ ...server(), database }, () => {}, loadMigrations().filter((migration) => migration.version < 4));
    const client = createClient({ ...server(), database });
    const hit = (event_id: string, timestamp: string, pathname: string, name = "pageview") =>
      ({ site_id: "s", event_id, name, timestamp, session_id: 7, visitor_id: 70, pathname, country: "DE", utm_source: "news" });
    const insert = (rows: object[]) => client.insert({ table: "events", values: rows, format: "JSONEachRow" });
    await insert([hit("a", "2026-03-01 10:59:00.000", "/first"), hit("a", "2026-03-01 10:59:00.000", "/first")]);
    await migrateClickHouse({ ...server(), database }, () => {});
    await insert([hit("b", "2026-03-01 11:05:00.000", "/last"), hit("c", "2026-03-01 11:06:00.000", "/last", "signup")]);
    await insert([hit("b", "2026-03-01 11:05:00.000", "/last")]);
    const result = await client.query({
      query: `SELECT count() AS hours, sum(pageviews) AS pageviews, sum(interactions) AS interactions, argMin(entry, hour) AS entry, argMax(exit, hour) AS exit, argMin(source, hour) AS source
        FROM (SELECT hour, length(pageview_ids) AS pageviews, length(interaction_ids) AS interactions,
          v_entry_page.2 AS entry, v_exit_page.2 AS exit, v_source.2 AS source
          FROM sessions FINAL WHERE site_id = 's' AND session_id = 7)`,
      format: "JSONEachRow",
    });
    const [totals] = await result.json();
    await client.close();
    expect(totals).toEqual({ hours: 2, pageviews: 2, interactions: 1, entry: "/first", exit: "/last", source: "news" });
  });

  it("fills the pages table from events stored before it, then from every insert, counting a resent hit once", async () => {
    const database = `pixel_migrate_pages_${Date.now()}`;
    await migrateClickHouse({ ...server(), database }, () => {}, loadMigrations().filter((migration) => migration.version < 5));
    const client = createClient({ ...server(), database });
    const hit = (event_id: string, visitor_id: number, timestamp: string, name = "pageview") =>
      ({ site_id: "s", event_id, name, timestamp, session_id: visitor_id, visitor_id, pathname: "/docs" });
    const insert = (rows: object[]) => client.insert({ table: "events", values: rows, format: "JSONEachRow" });
    await insert([hit("a", 1, "2026-03-01 10:59:00.000"), hit("a", 1, "2026-03-01 10:59:00.000"), hit("e", 1, "2026-03-01 10:59:30.000", "engagement")]);
    await migrateClickHouse({ ...server(), database }, () => {});
    await insert([hit("b", 2, "2026-03-01 11:05:00.000"), hit("c", 1, "2026-03-01 11:06:00.000", "signup")]);
    await insert([hit("b", 2, "2026-03-01 11:05:00.000"), hit("a", 1, "2026-03-01 10:59:00.000")]);
    const result = await client.query({
      query: `SELECT count() AS hours, uniqExactArray(visitor_ids) AS visitors, sum(length(pageview_ids)) AS pageviews, sum(length(event_ids)) AS events
        FROM pages FINAL WHERE site_id = 's' AND pathname = '/docs'`,
      format: "JSONEachRow",
    });
    const [totals] = await result.json();
    await client.close();
    expect(totals).toEqual({ hours: 2, visitors: 2, pageviews: 2, events: 3 });
  });

  it("stops when an applied migration was edited", async () => {
    const database = `pixel_migrate_edit_${Date.now()}`;
    const migrations = [{ version: 1, name: "0001_t", sql: "CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = MergeTree ORDER BY x;" }];
    await migrateClickHouse({ ...server(), database }, () => {}, migrations);
    const edited = [{ ...migrations[0]!, sql: "CREATE TABLE IF NOT EXISTS t (x UInt16) ENGINE = MergeTree ORDER BY x;" }];
    await expect(migrateClickHouse({ ...server(), database }, () => {}, edited)).rejects.toThrow(/changed after it was applied/);
  });

  it("splits statements at semicolons that end a line and drops comment lines", () => {
    expect(statementsOf("-- note\nCREATE TABLE a (x String DEFAULT ';');\nALTER TABLE a ADD COLUMN y UInt8;\n")).toEqual([
      "CREATE TABLE a (x String DEFAULT ';')",
      "ALTER TABLE a ADD COLUMN y UInt8",
    ]);
  });
});
