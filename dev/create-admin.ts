import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline/promises";
import { drizzle } from "drizzle-orm/d1";
import { Miniflare, type WorkerOptions } from "miniflare";
import * as v from "valibot";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { hashPassword } from "../lib/auth/password";
import { randomId } from "../lib/auth/ids";
import { upsertAdmin } from "../lib/d1/accounts";
import { Email, NewPassword } from "../workers/api/src/users/fields";
import { applyD1Migrations } from "./stack/d1";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const API_CONFIG = join(ROOT, "workers/api/wrangler.toml");

const USAGE = `Creates a global admin, or resets an existing account's password and makes it a global admin.

  npm run create-admin -- [--email you@example.com] [--password …] [--name "Your Name"] [--remote]

Without --email or --password it asks (the password without echo) when run in a terminal.
Local (default): writes to the D1 that \`npm run dev\` uses, in $PIXEL_DATA_DIR/workers (default .pixel/workers);
best run while \`npm run dev\` is stopped.
--remote: writes nothing; prints the \`wrangler d1 execute --remote\` command to run against your Cloudflare D1
(after \`wrangler d1 migrations apply pixel --remote\`).`;

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string", default: "" },
      remote: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const email = checked("email", Email, values.email ?? (await ask("E-mail: ")));
  const password = checked("password", NewPassword, values.password ?? (await askPassword()));
  const name = values.name.trim();

  if (values.remote) {
    console.log("Run this to create the admin in your Cloudflare D1 (the password hash was made here):\n");
    console.log(remoteCommand({ email, name, passwordHash: await hashPassword(password) }));
    return;
  }
  const persistDir = join(process.env.PIXEL_DATA_DIR ?? join(process.cwd(), ".pixel"), "workers");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(API_CONFIG);
  const mf = new Miniflare({
    defaultPersistRoot: persistDir,
    workers: [
      {
        d1Databases: workerOptions.d1Databases,
        compatibilityDate: workerOptions.compatibilityDate,
        name: "api",
        modules: true,
        script: "export default { fetch: () => new Response(null, { status: 404 }) }",
      } as WorkerOptions,
    ],
  });
  try {
    const d1 = await mf.getD1Database("DB", "api");
    await applyD1Migrations(d1, console.log);
    const { user, created } = await upsertAdmin(drizzle(d1), { email, password, name });
    console.log(`${created ? "Created" : "Updated"} the global admin ${user.email} in ${persistDir}.`);
  } finally {
    await mf.dispose();
  }
}

function checked<T extends v.GenericSchema<string, string>>(flag: string, schema: T, value: string): string {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new Error(`--${flag}: ${result.issues[0].message}`);
  return result.output;
}

/** `wrangler d1 execute` takes no parameters, so the values are quoted for SQL, then the whole for the shell. */
function remoteCommand(admin: { email: string; name: string; passwordHash: string }): string {
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const sql =
    `INSERT INTO users (id, email, name, password_hash, role) VALUES (${[randomId(), admin.email, admin.name, admin.passwordHash].map(literal).join(", ")}, 'admin') ` +
    `ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, role = 'admin', disabled = 0; ` +
    ["sessions", "api_keys"].map((table) => `DELETE FROM ${table} WHERE user_id = (SELECT id FROM users WHERE email = ${literal(admin.email)});`).join(" ");
  const shell = (text: string) => `'${text.replaceAll("'", `'"'"'`)}'`;
  return `npx wrangler d1 execute pixel --remote --config workers/api/wrangler.toml --command ${shell(sql)}`;
}

function requireTerminal(what: string) {
  if (!process.stdin.isTTY) throw new Error(`no ${what} given and no terminal to ask in: pass --${what}`);
}

async function ask(question: string): Promise<string> {
  requireTerminal("email");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

async function askPassword(): Promise<string> {
  requireTerminal("password");
  const password = await readHidden("Password (at least 10 characters): ");
  if ((await readHidden("Again: ")) !== password) throw new Error("the two passwords differ");
  return password;
}

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let typed = "";
    const finish = (outcome: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write("\n");
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(() => resolve(typed));
        if (char === "\u0003" || char === "\u0004") return finish(() => reject(new Error("cancelled")));
        typed = char === "\u007f" || char === "\b" ? typed.slice(0, -1) : typed + char;
      }
    };
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    stdin.resume();
    stdin.on("data", onData);
  });
}

main().catch((error: Error) => {
  console.error(`create-admin: ${error.message}`);
  process.exit(1);
});
