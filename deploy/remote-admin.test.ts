import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { drizzle } from "drizzle-orm/d1";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@pixel/lib/auth/password";
import { findUserByEmail } from "@pixel/lib/d1/accounts";
import { recoveryCodes, twoFactors } from "@pixel/lib/d1/schema";
import { applyD1Migrations } from "@pixel/dev/stack/d1";
import { runCli } from "@pixel/test/support/cli";
import { deployConfigFor, type Wrangler } from "./deploy";
import { createRemoteAdmin } from "./remote-admin";
import { deployConfigFrom } from "./settings";
import { deployedConfigPath, readWorkerConfig } from "./workers";

const DEPLOYED_ID = "4b1c0d5e-2f3a-4c6b-8d7e-9f0a1b2c3d4e";
const deployDir = mkdtempSync(join(tmpdir(), "pixel-remote-admin-"));
/** Stands in for the deployed D1: the same SQLite engine in workerd, with the same migrations. */
const mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: { DB: DEPLOYED_ID }, compatibilityDate: "2026-04-20" });

beforeAll(async () => {
  await applyD1Migrations(await mf.getD1Database("DB"), () => {});
  const config = deployConfigFrom({ PIXEL_ZONE: "shop.example", CLICKHOUSE_URL: "https://ch.example:8443", CLICKHOUSE_ADMIN_PASSWORD: "a", CLICKHOUSE_FLUSHER_PASSWORD: "f", CLICKHOUSE_API_PASSWORD: "r" });
  const path = deployedConfigPath(deployDir, "api");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(deployConfigFor(readWorkerConfig("api"), config, new Map([["pixel", DEPLOYED_ID]]), deployDir)));
});
afterAll(async () => {
  await mf.dispose();
  rmSync(deployDir, { recursive: true, force: true });
});

/** wrangler at the process boundary: `d1 execute --remote` runs its SQL on the database its config names. */
function remoteD1() {
  const calls: string[][] = [];
  const wrangler: Wrangler = async (args) => {
    calls.push(args);
    const config = JSON.parse(readFileSync(args[args.indexOf("-c") + 1]!, "utf8")) as { d1_databases: { database_name: string; database_id: string }[] };
    const database = config.d1_databases.find((d) => d.database_name === args[2]);
    if (args[0] !== "d1" || args[1] !== "execute" || !args.includes("--remote") || database?.database_id !== DEPLOYED_ID) return { ok: false, output: "not the deployed database" };
    await (await mf.getD1Database("DB")).exec(args[args.indexOf("--command") + 1]!.replaceAll("\n", " "));
    return { ok: true, output: "Executed 1 command" };
  };
  return { calls, wrangler };
}

describe("npm run create-admin -- --remote", () => {
  it("creates the admin in the D1 database the deploy made, not the placeholder in workers/api/wrangler.toml", async () => {
    const d1 = remoteD1();
    const id = await createRemoteAdmin({ email: "owner@shop.example", name: "O'Brien", passwordHash: await hashPassword("first-password") }, { wrangler: d1.wrangler, deployDir });
    expect(id).toBe(DEPLOYED_ID);
    expect(d1.calls).toHaveLength(1);
    expect(d1.calls[0]!.slice(0, 6)).toEqual(["d1", "execute", "pixel", "--remote", "--yes", "-c"]);
    expect(d1.calls[0]).toContain(deployedConfigPath(deployDir, "api"));
    const user = await findUserByEmail(drizzle(await mf.getD1Database("DB")), "owner@shop.example");
    expect(user).toMatchObject({ role: "admin", name: "O'Brien" });
    expect(await verifyPassword("first-password", user!.passwordHash)).toBe(true);
  });

  it("resets an existing account's password and two-factor sign-in and makes it an admin again", async () => {
    const d1 = remoteD1();
    await createRemoteAdmin({ email: "reset@shop.example", name: "", passwordHash: await hashPassword("old-password") }, { wrangler: d1.wrangler, deployDir });
    const db = drizzle(await mf.getD1Database("DB"));
    const { id } = (await findUserByEmail(db, "reset@shop.example"))!;
    await db.batch([db.insert(twoFactors).values({ userId: id, secret: "sealed", confirmedAt: new Date() }), db.insert(recoveryCodes).values({ userId: id, codeHash: "hash" })]);
    await createRemoteAdmin({ email: "reset@shop.example", name: "", passwordHash: await hashPassword("new-password") }, { wrangler: d1.wrangler, deployDir });
    const user = await findUserByEmail(drizzle(await mf.getD1Database("DB")), "reset@shop.example");
    expect(await verifyPassword("new-password", user!.passwordHash)).toBe(true);
    expect([...(await db.select().from(twoFactors).all()), ...(await db.select().from(recoveryCodes).all())].filter((row) => row.userId === id)).toEqual([]);
  });

  it("without a deploy, says to run `npm run deploy` first and runs nothing", async () => {
    const d1 = remoteD1();
    const empty = mkdtempSync(join(tmpdir(), "pixel-no-deploy-"));
    await expect(createRemoteAdmin({ email: "x@shop.example", name: "", passwordHash: "h" }, { wrangler: d1.wrangler, deployDir: empty })).rejects.toThrow(/npm run deploy/);
    expect(d1.calls).toEqual([]);
    const { code, stderr } = await runCli("dev/create-admin.ts", ["--remote", "--email", "x@shop.example", "--password", "long-enough-password"], { PIXEL_DATA_DIR: empty });
    expect(code).toBe(1);
    expect(stderr).toContain(`no deployed api config at ${join(empty, "deploy", "api.wrangler.json")}`);
    rmSync(empty, { recursive: true, force: true });
  }, 30_000);
});
