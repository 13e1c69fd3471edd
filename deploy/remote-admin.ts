import { existsSync, readFileSync } from "node:fs";
import { randomId } from "@pixel/lib/auth/ids";
import type { Wrangler } from "./deploy";
import { deployedConfigPath } from "./workers";

export interface RemoteAdmin {
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * Creates the admin (or resets that account to one) in the D1 database of the last `npm run deploy`: wrangler runs
 * with the api config that deploy wrote, which names the real database id. Returns that id.
 */
export async function createRemoteAdmin(admin: RemoteAdmin, deps: { wrangler: Wrangler; deployDir: string }): Promise<string> {
  const configPath = deployedConfigPath(deps.deployDir, "api");
  if (!existsSync(configPath)) {
    throw new Error(`no deployed api config at ${configPath}: run \`npm run deploy\` first (it creates the D1 database and writes this file)`);
  }
  const [database] = (JSON.parse(readFileSync(configPath, "utf8")) as { d1_databases: { database_name: string; database_id: string }[] }).d1_databases;
  const args = ["d1", "execute", database!.database_name, "--remote", "--yes", "-c", configPath, "--command", upsertAdminSql(admin)];
  const result = await deps.wrangler(args);
  if (!result.ok) throw new Error(`wrangler d1 execute ${database!.database_name} --remote failed:\n${result.output.trim()}`);
  return database!.database_id;
}

/** `wrangler d1 execute` takes no parameters, so the values are quoted for SQL. */
function upsertAdminSql(admin: RemoteAdmin): string {
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  return (
    `INSERT INTO users (id, email, name, password_hash, role) VALUES (${[randomId(), admin.email, admin.name, admin.passwordHash].map(literal).join(", ")}, 'admin') ` +
    `ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, role = 'admin', disabled = 0; ` +
    // A reset ends every session and API key of the account, as the api's own reset does, and its two-factor sign-in.
    ["sessions", "api_keys", "two_factors", "recovery_codes"].map((table) => `DELETE FROM ${table} WHERE user_id = (SELECT id FROM users WHERE email = ${literal(admin.email)});`).join(" ")
  );
}
