import type { D1Database } from "@cloudflare/workers-types/experimental";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { unstable_splitSqlQuery } from "wrangler";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../lib/d1/migrations/", import.meta.url));

/**
 * Applies the drizzle-kit migrations to a local D1, recording them in wrangler's own `d1_migrations`
 * table, so `wrangler d1 migrations apply --local` agrees about what has run.
 */
export async function applyD1Migrations(db: D1Database, log: (line: string) => void): Promise<string[]> {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE,
       applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
    )
    .run();
  const done = new Set((await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((row) => row.name));
  const applied: string[] = [];
  for (const file of readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith(".sql")).sort()) {
    if (done.has(file)) continue;
    const statements = unstable_splitSqlQuery(readFileSync(`${MIGRATIONS_DIR}${file}`, "utf8"));
    await db.batch([
      ...statements.map((statement) => db.prepare(statement)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?1)").bind(file),
    ]);
    log(`  applied D1 migration ${file}`);
    applied.push(file);
  }
  return applied;
}
