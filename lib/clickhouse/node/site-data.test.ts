import { describe, expect, it } from "vitest";
import { loadMigrations } from "./migrate";
import { FORGOTTEN_SITES, SITE_TABLES } from "../site-data";

/** Tables created by the migrations whose columns include site_id. */
function perSiteTables(): string[] {
  const sql = loadMigrations().map((migration) => migration.sql).join("\n");
  const tables = [...sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)\s*\(([\s\S]*?)\)\s*ENGINE/g)];
  return tables.filter(([, , columns]) => /^\s*site_id\s/m.test(columns!)).map(([, name]) => name!);
}

describe("SITE_TABLES", () => {
  it("names every table of the migrations that holds per-site rows, but the tombstones", () => {
    const tables = perSiteTables();
    expect(tables).toContain("events");
    expect([...SITE_TABLES, FORGOTTEN_SITES].sort()).toEqual(tables.sort());
  });
});
