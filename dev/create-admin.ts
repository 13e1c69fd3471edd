import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline/promises";
import { drizzle } from "drizzle-orm/d1";
import { Miniflare, type WorkerOptions } from "miniflare";
import * as v from "valibot";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { hashPassword } from "@pixel/lib/auth/password";
import { upsertAdmin } from "@pixel/lib/d1/accounts";
import { parseCli } from "@pixel/lib/node/cli";
import { createRemoteAdmin } from "@pixel/deploy/remote-admin";
import { DEPLOY_DIR } from "@pixel/deploy/workers";
import { wrangler } from "@pixel/deploy/wrangler";
import { Email, NewPassword } from "@pixel/workers/api/src/users/fields";
import { applyD1Migrations } from "./stack/d1";
import { readHidden } from "@pixel/lib/node/prompt";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const API_CONFIG = join(ROOT, "workers/api/wrangler.toml");

const USAGE = `Creates a global admin, or resets an existing account's password and makes it a global admin.

  npm run create-admin -- [--email you@example.com] [--password …] [--name "Your Name"] [--remote]

Without --email or --password it asks (the password without echo) when run in a terminal.
Local (default): writes to the D1 that \`npm run dev\` uses, in $PIXEL_DATA_DIR/workers (default .pixel/workers);
best run while \`npm run dev\` is stopped.
--remote: runs \`wrangler d1 execute --remote\` against the D1 database of your last \`npm run deploy\`, using the
api config it wrote to $PIXEL_DATA_DIR/deploy (default .pixel/deploy), which holds the database's real id.`;

const { values } = parseCli("create-admin", USAGE, {
  options: {
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string", default: "" },
    remote: { type: "boolean", default: false },
  },
});

async function main() {
  const email = checked("email", Email, values.email ?? (await ask("E-mail: ")));
  const password = checked("password", NewPassword, values.password ?? (await askPassword()));
  const name = values.name.trim();

  if (values.remote) {
    const databaseId = await createRemoteAdmin({ email, name, passwordHash: await hashPassword(password) }, { wrangler, deployDir: DEPLOY_DIR });
    console.log(`Made ${email} a global admin in the deployed D1 database ${databaseId}.`);
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

main().catch((error: Error) => {
  console.error(`create-admin: ${error.message}`);
  process.exit(1);
});
