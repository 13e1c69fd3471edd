import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_ADMIN, localUsers, newPasswords } from "@pixel/lib/clickhouse/node/users";
import { CLICKHOUSE_USERS, parseUsersSql } from "@pixel/lib/clickhouse/users";
import { type ClickHouseServer, startClickHouseServer } from "./server";

// The server enforces deploy/clickhouse/users.sql itself, granted on the database `pixel`.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixel-clickhouse-access-"));
const passwords: Record<string, string> = { ...newPasswords(), old_reader: "old-reader-password" };
// The reader docs/deploy.md documented before users.sql: `readonly = 1`, which refuses every setting the api sends.
const [oldReader] = parseUsersSql(`
  CREATE SETTINGS PROFILE old_reader_profile SETTINGS readonly = 1;
  CREATE USER old_reader IDENTIFIED BY '<password>' SETTINGS PROFILE 'old_reader_profile';
  GRANT SELECT ON pixel.* TO old_reader;`);
let server: ClickHouseServer;

async function run(user: string, sql: string, settings: Record<string, string> = {}, password = passwords[user]!) {
  const url = `${server.url}/?${new URLSearchParams({ database: "pixel", ...settings })}`;
  const response = await fetch(url, {
    method: "POST",
    body: sql,
    headers: { "X-ClickHouse-User": user, "X-ClickHouse-Key": password },
  });
  return { status: response.status, code: response.headers.get("x-clickhouse-exception-code"), text: (await response.text()).trim() };
}

beforeAll(async () => {
  server = await startClickHouseServer({
    dataDir,
    port: 0,
    users: [...localUsers(passwords, ["pixel"]), { name: "old_reader", password: passwords.old_reader!, access: oldReader }],
  });
  expect((await run(LOCAL_ADMIN, "CREATE DATABASE pixel", { database: "default" })).status).toBe(200);
  await run(LOCAL_ADMIN, "CREATE TABLE events (site_id String, n UInt64) ENGINE = MergeTree ORDER BY site_id");
  await run(LOCAL_ADMIN, "CREATE DATABASE other", { database: "default" });
  await run(LOCAL_ADMIN, "CREATE TABLE other.secrets (s String) ENGINE = MergeTree ORDER BY s");
  await run(LOCAL_ADMIN, "INSERT INTO events VALUES ('a', 1), ('b', 2)");
}, 30_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("authentication", () => {
  it("refuses a wrong password, an unknown user and no credentials with 516", async () => {
    for (const [user, password] of [[CLICKHOUSE_USERS.api, "wrong"], ["nobody", "x"], ["default", ""]] as const) {
      const refused = await run(user, "SELECT 1", {}, password);
      expect(refused.code).toBe("516");
      expect(refused.text).toContain(`${user}: Authentication failed`);
    }
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
  });
});

describe("the api's reader (readonly = 2 with bounded limits)", () => {
  const reader = CLICKHOUSE_USERS.api;

  it("gets its profile's limits and may send the settings the api sends, within their bounds", async () => {
    const sent = {
      max_execution_time: "10",
      max_memory_usage: "1000000000",
      max_rows_to_read: "5000000",
      do_not_merge_across_partitions_select_final: "1",
      output_format_json_quote_64bit_integers: "0",
      date_time_input_format: "best_effort",
    };
    const answer = await run(reader, "SELECT sum(n), getSetting('readonly'), getSetting('max_bytes_to_read') FROM events", sent);
    expect(answer).toMatchObject({ status: 200, text: "3\t2\t100000000000" });
  });

  it("refuses limits beyond the profile's bounds with 452, in the URL, a SETTINGS clause or a SET", async () => {
    const url = await run(reader, "SELECT 1", { max_execution_time: "301" });
    expect(url).toMatchObject({ code: "452" });
    expect(url.text).toContain("Setting max_execution_time shouldn't be greater than 300");
    const clause = await run(reader, "SELECT count() FROM events SETTINGS max_memory_usage = 0");
    expect(clause.text).toContain("Setting max_memory_usage shouldn't be less than 1");
    const set = await run(reader, "SET max_rows_to_read = 3000000000", { session_id: "reader-session" });
    expect(set).toMatchObject({ code: "452" });
  });

  it("cannot lift readonly", async () => {
    const lifted = await run(reader, "SELECT 1", { readonly: "0" });
    expect(lifted.code).toBe("164");
    expect(lifted.text).toContain("Cannot modify 'readonly' setting in readonly mode");
  });

  it("cannot write, create, read other databases or reach files and URLs: 497", async () => {
    const refusals = {
      "INSERT INTO events VALUES ('c', 3)": "INSERT ON pixel.*",
      "ALTER TABLE events DELETE WHERE 1": "ALTER DELETE ON pixel.*",
      "DELETE FROM events WHERE 1": "ALTER DELETE ON pixel.*",
      "CREATE TABLE t (x UInt8) ENGINE = Memory": "CREATE TABLE ON pixel.*",
      "SELECT * FROM other.secrets": "SELECT ON other.*",
      "SELECT * FROM file('/etc/passwd', 'LineAsString')": "FILE ON *.*",
      "SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')": "URL ON *.*",
    };
    for (const [sql, grant] of Object.entries(refusals)) {
      const refused = await run(reader, sql);
      expect(refused, sql).toMatchObject({ status: 403, code: "497" });
      expect(refused.text).toContain(`${reader}: Not enough privileges. To execute this query, it's necessary to have the grant ${grant}`);
    }
    expect((await run(reader, "SELECT count() FROM events", { database: "other" })).code).toBe("497");
    expect((await run(LOCAL_ADMIN, "SELECT count() FROM events")).text).toBe("2");
  });

  it("cannot reach another database by a table function's arguments or a query parameter: 497", async () => {
    await run(LOCAL_ADMIN, "INSERT INTO other.secrets VALUES ('top secret')");
    const crafted: [string, Record<string, string>?][] = [
      ["SELECT * FROM merge('other', '.*')"],
      ["SELECT * FROM merge(REGEXP('^oth'), '.*')"],
      ["SELECT * FROM `merge`('other', '.*')"],
      ["SELECT * FROM loop('other', 'secrets') LIMIT 1"],
      ["SELECT * FROM mergeTreeIndex('other', 'secrets')"],
      ["SELECT * FROM {db:Identifier}.secrets", { param_db: "other" }],
      ["SELECT * FROM {db:Identifier}.{table:Identifier}", { param_db: "other", param_table: "secrets" }],
    ];
    for (const writer of [reader, CLICKHOUSE_USERS.flusher]) {
      for (const [sql, settings] of crafted) {
        const refused = await run(writer, sql, settings);
        expect(refused.text, `${writer}: ${sql}`).not.toContain("top secret");
        expect(refused, `${writer}: ${sql}`).toMatchObject({ status: 403, code: "497" });
      }
    }
    const own = await run(reader, "SELECT count() FROM {db:Identifier}.{table:Identifier}", { param_db: "pixel", param_table: "events" });
    expect(own).toMatchObject({ status: 200, text: "2" });
    const valueNamingADatabase = await run(reader, "SELECT count() FROM events WHERE site_id != {site:String}", { param_site: "other" });
    expect(valueNamingADatabase).toMatchObject({ status: 200, text: "2" });
  });

  it("cannot write a file on the server's machine with INTO OUTFILE, nor can anyone over HTTP (358)", async () => {
    const file = path.join(os.tmpdir(), `pixel-outfile-${crypto.randomUUID()}.tsv`);
    const padding = Array.from({ length: 70 }, (_, i) => `${i} AS c${i}`).join(", ");
    for (const [user, sql] of [
      [reader, `SELECT site_id FROM events INTO OUTFILE '${file}'`],
      [CLICKHOUSE_USERS.flusher, `SELECT ${padding} INTO OUTFILE '${file}' TRUNCATE FORMAT TSV`],
      [LOCAL_ADMIN, `SELECT 1 INTO OUTFILE '${file}'`],
    ] as const) {
      const refused = await run(user, sql);
      expect(refused, `${user}: ${sql.slice(0, 40)}`).toMatchObject({ code: "358" });
      expect(refused.text).toContain("INTO OUTFILE is not allowed");
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it("refuses a limit written with a size suffix beyond the profile's bounds, and one it cannot read", async () => {
    const suffixed = await run(reader, "SELECT getSetting('max_memory_usage')", { max_memory_usage: "10G" });
    expect(suffixed).toMatchObject({ code: "452" });
    expect(suffixed.text).toContain("Setting max_memory_usage shouldn't be greater than 4000000000");
    expect((await run(reader, "SELECT 1 SETTINGS max_memory_usage = '5Gi'")).code).toBe("452");
    expect((await run(reader, "SELECT getSetting('max_memory_usage')", { max_memory_usage: "1G" })).text).toBe("1000000000");
    const unread = await run(reader, "SELECT 1", { max_memory_usage: "lots" });
    expect(unread).toMatchObject({ code: "72" });
    expect(unread.text).toContain("max_memory_usage");
  });
});

describe("the other users", () => {
  it("the old readonly = 1 reader fails every query that sends a setting (code 164)", async () => {
    const refused = await run("old_reader", "SELECT 1", { max_execution_time: "10" });
    expect(refused.code).toBe("164");
    expect(refused.text).toContain("Cannot modify 'max_execution_time' setting in readonly mode");
    expect((await run("old_reader", "SELECT 1 SETTINGS max_execution_time = 10")).code).toBe("164");
  });

  it("the flusher's writer inserts with its deduplication settings but cannot delete or change the schema", async () => {
    const writer = CLICKHOUSE_USERS.flusher;
    const insert = await run(writer, "INSERT INTO events VALUES ('w', 1)", {
      async_insert: "1",
      wait_for_async_insert: "1",
      async_insert_deduplicate: "1",
      insert_deduplicate: "1",
      insert_deduplication_token: "batch-1",
      deduplicate_blocks_in_dependent_materialized_views: "1",
      max_execution_time: "20",
    });
    expect(insert.status).toBe(200);
    expect((await run(writer, "ALTER TABLE events DELETE WHERE site_id = 'w'")).code).toBe("497");
    expect((await run(writer, "DROP TABLE events")).code).toBe("497");
    expect((await run(writer, "SELECT 1", { max_execution_time: "301" })).code).toBe("452");
  });

  it("the data writer's ALTER DELETE and ALTER UPDATE carry no other ALTER command: 497, and the table keeps its columns", async () => {
    const data = CLICKHOUSE_USERS.data;
    expect((await run(data, "ALTER TABLE events UPDATE n = 7 WHERE site_id = 'nobody' SETTINGS mutations_sync = 2")).status).toBe(200);
    expect((await run(data, "ALTER TABLE pixel.events DELETE WHERE site_id = 'nobody'")).status).toBe(200);
    const padding = Array.from({ length: 70 }, () => "n > 0").join(" OR ");
    for (const sql of [
      "ALTER TABLE events DELETE WHERE site_id = 'nobody', DROP COLUMN n",
      "ALTER TABLE events UPDATE n = 1 WHERE 0, ADD COLUMN x UInt8",
      "ALTER TABLE events ADD COLUMN delete UInt8",
      "ALTER TABLE events MODIFY COLUMN n String, UPDATE n = '1' WHERE 0",
      `ALTER TABLE events UPDATE n = 1 WHERE ${padding}, DROP COLUMN n`,
    ]) {
      const refused = await run(data, sql);
      expect(refused, sql).toMatchObject({ status: 403, code: "497" });
      expect(refused.text).toContain("necessary to have the grant ALTER ON pixel.*");
    }
    expect((await run(LOCAL_ADMIN, "SELECT groupArray(name) FROM system.columns WHERE database = 'pixel' AND table = 'events'")).text).toBe("['site_id','n']");
  });

  it("the data writer deletes a site's rows; the migrator creates tables but cannot drop the database", async () => {
    expect((await run(CLICKHOUSE_USERS.data, "DELETE FROM events WHERE site_id = 'w'")).status).toBe(200);
    expect((await run(CLICKHOUSE_USERS.data, "TRUNCATE TABLE events")).code).toBe("497");
    const migrator = CLICKHOUSE_USERS.migrator;
    expect((await run(migrator, "CREATE TABLE IF NOT EXISTS m (x UInt8) ENGINE = MergeTree ORDER BY x")).status).toBe(200);
    expect((await run(migrator, "DROP DATABASE pixel")).code).toBe("497");
    expect((await run(migrator, "CREATE DATABASE IF NOT EXISTS {db:Identifier}", { param_db: "other" })).code).toBe("497");
  });
});
