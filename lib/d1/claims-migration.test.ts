import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
const FILES = readdirSync(DIR).filter((name) => name.endsWith(".sql")).sort();
const CLAIMS = "0006_site_hostnames_claims.sql";

let mf: Miniflare;
let d1: Awaited<ReturnType<Miniflare["getD1Database"]>>;

async function apply(files: string[]) {
  for (const file of files) {
    await d1.batch(unstable_splitSqlQuery(readFileSync(DIR + file, "utf8")).map((statement) => d1.prepare(statement)));
  }
}

const run = (sql: string, ...params: unknown[]) => d1.prepare(sql).bind(...params).run();

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default {}", compatibilityDate: "2026-04-20", d1Databases: ["DB"] });
  d1 = await mf.getD1Database("DB");
  await apply(FILES.slice(0, FILES.indexOf(CLAIMS)));
});
afterAll(() => mf.dispose());

describe("D1 migration 0006: existing hostname claims", () => {
  it("keeps each hostname with one site: domains first, then safe extras, the oldest site winning a tie", async () => {
    await run("INSERT INTO users (id, email, password_hash) VALUES ('alice', 'a@x', 'h'), ('mallory', 'm@x', 'h')");
    const site = (id: string, domain: string, hostnames: string[], createdAt: number) =>
      run("INSERT INTO sites (id, domain, name, hostnames, created_at) VALUES (?1, ?2, ?2, ?3, ?4)", id, domain, JSON.stringify(hostnames), createdAt);
    await site("victim", "victim.com", ["Www.Shop.Victim.NET", "victim.com"], 1);
    await site("alice2", "alice.org", ["blog.victim.com", "shared.example"], 2);
    await site("evil", "evil.com", ["victim.com", "login.victim.com", "shared.example", "mine.evil.com"], 3);
    await run("INSERT INTO memberships (user_id, site_id, role) VALUES ('alice', 'victim', 'owner'), ('alice', 'alice2', 'owner'), ('mallory', 'evil', 'owner')");

    await apply([CLAIMS]);

    const hostnames = await d1.prepare("SELECT id, hostnames FROM sites ORDER BY created_at").all<{ id: string; hostnames: string }>();
    expect(hostnames.results.map((row) => [row.id, JSON.parse(row.hostnames)])).toEqual([
      ["victim", ["shop.victim.net"]],
      ["alice2", ["blog.victim.com", "shared.example"]],
      ["evil", ["mine.evil.com"]],
    ]);
    const claims = await d1.prepare("SELECT hostname, site_id, kind FROM site_hostnames ORDER BY hostname").all();
    expect(claims.results).toEqual([
      { hostname: "alice.org", site_id: "alice2", kind: "domain" },
      { hostname: "blog.victim.com", site_id: "alice2", kind: "extra" },
      { hostname: "evil.com", site_id: "evil", kind: "domain" },
      { hostname: "mine.evil.com", site_id: "evil", kind: "extra" },
      { hostname: "shared.example", site_id: "alice2", kind: "extra" },
      { hostname: "shop.victim.net", site_id: "victim", kind: "extra" },
      { hostname: "victim.com", site_id: "victim", kind: "domain" },
    ]);
  });

  it("then refuses, in the database, a hostname another site claims, and forgets a deleted site's claims", async () => {
    const claim = (hostname: string, siteId: string) => run("INSERT INTO site_hostnames (hostname, site_id, kind) VALUES (?1, ?2, 'extra')", hostname, siteId);
    await expect(claim("victim.com", "evil")).rejects.toThrow(/UNIQUE constraint failed: site_hostnames.hostname/);
    await expect(claim("shared.example", "evil")).rejects.toThrow(/UNIQUE constraint failed: site_hostnames.hostname/);
    await run("DELETE FROM sites WHERE id = 'evil'");
    expect((await d1.prepare("SELECT count(*) AS n FROM site_hostnames WHERE site_id = 'evil'").first())?.n).toBe(0);
  });
});
