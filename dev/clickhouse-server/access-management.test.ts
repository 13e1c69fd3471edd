import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPasswords, provisionUsers } from "@pixel/lib/clickhouse/node/users";
import { CLICKHOUSE_USERS } from "@pixel/lib/clickhouse/users";
import { type ClickHouseServer, startClickHouseServer } from "./server";

// `npm run clickhouse` as an external ClickHouse: only an admin at first, then users.sql applied over HTTP.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixel-clickhouse-access-management-"));
const admin = { username: "admin", password: "admin-password" };
const passwords = newPasswords();
let server: ClickHouseServer;
let beforeUsersSql: string | null;

async function run(user: string, password: string, sql: string) {
  const response = await fetch(`${server.url}/?database=pixel`, {
    method: "POST",
    body: sql,
    headers: { "X-ClickHouse-User": user, "X-ClickHouse-Key": password },
  });
  return { status: response.status, code: response.headers.get("x-clickhouse-exception-code"), text: (await response.text()).trim() };
}
const asAdmin = (sql: string) => run(admin.username, admin.password, sql);
const as = (user: string, sql: string) => run(user, passwords[user]!, sql);

beforeAll(async () => {
  server = await startClickHouseServer({ dataDir, port: 0, user: admin.username, password: admin.password, accessManagement: true });
  beforeUsersSql = (await as(CLICKHOUSE_USERS.api, "SELECT 1")).code;
  await provisionUsers({ url: server.url, ...admin }, passwords, ["pixel"]);
  await asAdmin("CREATE TABLE pixel.events (site_id String) ENGINE = MergeTree ORDER BY site_id");
}, 30_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("users.sql applied at run time", () => {
  it("knows no Pixel user before users.sql runs, and each one with its own password after", async () => {
    expect(beforeUsersSql).toBe("516");
    expect((await as(CLICKHOUSE_USERS.api, "SELECT 1")).text).toBe("1");
    expect((await run(CLICKHOUSE_USERS.api, "wrong", "SELECT 1")).code).toBe("516");
  });

  it("enforces each user's grants and profile as the file says", async () => {
    expect((await as(CLICKHOUSE_USERS.flusher, "INSERT INTO events VALUES ('a')")).status).toBe(200);
    expect((await as(CLICKHOUSE_USERS.api, "SELECT count() FROM events")).text).toBe("1");
    expect((await as(CLICKHOUSE_USERS.api, "INSERT INTO events VALUES ('b')")).code).toBe("497");
    expect((await as(CLICKHOUSE_USERS.flusher, "ALTER TABLE events DELETE WHERE 1")).code).toBe("497");
    expect((await as(CLICKHOUSE_USERS.api, "SELECT 1 SETTINGS max_execution_time = 301")).code).toBe("452");
  });

  it("runs the file again to the same users, with the new passwords", async () => {
    const again = { ...passwords, [CLICKHOUSE_USERS.api]: "a-new-reader-password" };
    await provisionUsers({ url: server.url, ...admin }, again, ["pixel"]);
    expect((await run(CLICKHOUSE_USERS.api, "a-new-reader-password", "SELECT count() FROM events")).text).toBe("1");
    expect((await as(CLICKHOUSE_USERS.api, "SELECT 1")).code).toBe("516");
    await provisionUsers({ url: server.url, ...admin }, passwords, ["pixel"]);
  });

  it("grants a role's privileges to its users", async () => {
    for (const sql of [
      "CREATE ROLE OR REPLACE auditors",
      "GRANT SELECT ON pixel.* TO auditors",
      "CREATE USER OR REPLACE auditor IDENTIFIED WITH sha256_password BY 'audit'",
      "GRANT auditors TO auditor",
    ]) {
      expect((await asAdmin(sql)).status).toBe(200);
    }
    expect((await run("auditor", "audit", "SELECT count() FROM events")).text).toBe("1");
    expect((await run("auditor", "audit", "INSERT INTO events VALUES ('c')")).code).toBe("497");
  });

  it("refuses access management to everyone but an admin, and a second plain CREATE", async () => {
    const byReader = await as(CLICKHOUSE_USERS.api, "CREATE USER sneaky IDENTIFIED BY 'x'");
    expect(byReader.code).toBe("497");
    expect(byReader.text).toContain("ACCESS MANAGEMENT");
    expect((await asAdmin(`CREATE USER ${CLICKHOUSE_USERS.api} IDENTIFIED BY 'x'`)).code).toBe("493");
    expect((await asAdmin(`CREATE USER ${admin.username} IDENTIFIED BY 'x'`)).code).toBe("493");
    expect((await asAdmin("GRANT SELECT ON pixel.* TO nobody")).code).toBe("62");
  });

  it("reads a password's escapes as ClickHouse does", async () => {
    expect((await asAdmin(String.raw`CREATE USER OR REPLACE quoter IDENTIFIED BY 'it\'s a \\ and a \q'`)).status).toBe(200);
    expect((await asAdmin("GRANT SELECT ON pixel.* TO quoter")).status).toBe(200);
    expect((await run("quoter", String.raw`it's a \ and a \q`, "SELECT 1")).text).toBe("1");
    expect((await run("quoter", String.raw`it\'s a \\ and a \q`, "SELECT 1")).code).toBe("516");
  });

  it("refuses a password given as a hash or with an unknown method, rather than taking the hash as the password", async () => {
    const hash = createHash("sha256").update("secret").digest("hex");
    for (const method of ["sha256_hash", "double_sha1_hash", "bcrypt_hash", "no_such_method"]) {
      const refused = await asAdmin(`CREATE USER OR REPLACE hashed IDENTIFIED WITH ${method} BY '${hash}'`);
      expect(refused.status, method).not.toBe(200);
      expect(refused.text).toContain(method);
    }
    expect((await run("hashed", hash, "SELECT 1")).code).toBe("516");
    expect((await asAdmin("CREATE USER OR REPLACE hashed IDENTIFIED WITH sha256_password BY 'secret'")).status).toBe(200);
    expect((await asAdmin("GRANT SELECT ON pixel.* TO hashed")).status).toBe(200);
    expect((await run("hashed", "secret", "SELECT 1")).text).toBe("1");
  });
});
