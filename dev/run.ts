import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DEV_ADMIN_EMAIL } from "./stack/bootstrap";
import { LOCAL_PORTS, type LocalPart, startStack } from "./stack/index";
import { MAIL_NOTICE } from "./stack/workers";
import { parseCli } from "@pixel/lib/node/cli";
import { externalAdmin } from "@pixel/lib/clickhouse/node/users";

parseCli(
  "dev",
  `Runs the whole of Pixel locally (ClickHouse, the three Workers, the dashboard and a demo site) and prints where
each lives. Ports and the data folder come from the environment (README.md, "Local ports"). With CLICKHOUSE_URL
(and CLICKHOUSE_USER, CLICKHOUSE_PASSWORD: an admin; CLICKHOUSE_DATABASE, default pixel) it uses that ClickHouse
instead of starting one, after applying deploy/clickhouse/users.sql to it (README.md, "Any ClickHouse").

  npm run dev`,
  { options: {} },
);

const ports = Object.fromEntries(
  Object.entries(LOCAL_PORTS).map(([part, { variable, fallback }]) => [part, Number(process.env[variable] ?? fallback)]),
) as Record<LocalPart, number>;
const dataDir = process.env.PIXEL_DATA_DIR ?? join(process.cwd(), ".pixel");

/** Dev-only credentials, made once and kept with the local data so they survive restarts. */
function devSecrets(): { adminPassword: string; sessionSecret: string } {
  const file = join(dataDir, "dev-secrets.json");
  const secrets = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8"))
    : { adminPassword: randomBytes(9).toString("base64url"), sessionSecret: randomBytes(32).toString("hex") };
  if (process.env.PIXEL_ADMIN_PASSWORD) secrets.adminPassword = process.env.PIXEL_ADMIN_PASSWORD;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function main() {
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const secrets = devSecrets();
  const externalClickHouse = externalAdmin(process.env);
  console.log("Starting Pixel locally ...");
  const stack = await startStack({
    dataDir,
    ports,
    ...secrets,
    resetAdminPassword: Boolean(process.env.PIXEL_ADMIN_PASSWORD),
    externalClickHouse,
    clickHouseDatabase: process.env.CLICKHOUSE_DATABASE || undefined,
    dashboard: "vite",
    verbose: true,
  });
  console.log(`
Pixel is running.
  Dashboard       ${stack.urls.dashboard}
                  sign in as ${DEV_ADMIN_EMAIL} / ${secrets.adminPassword}
  Demo site       ${stack.urls.demo}   (open it, then watch the dashboard)
  Collector       ${stack.urls.collector}/telemetry/pixel.js
  API             ${stack.urls.api}/api/health
  ClickHouse      ${stack.urls.clickhouse}   (${externalClickHouse ? "CLICKHOUSE_URL" : "local chDB server"})
  Local data      ${dataDir}
  E-mail          ${MAIL_NOTICE}

Press Ctrl-C to stop.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping Pixel ...");
    await stack.stop();
    console.log("Pixel has stopped.");
    process.exit(0);
  };
  // Ours replace the listeners there are: Miniflare's exit hook would end the process (130) in the same emit, before
  // the stack has stopped. A signal can come twice (the terminal's to the group, and one passed on), hence `stopping`.
  // package.json runs this file with `node --import tsx`: tsx's CLI would SIGKILL it when, on a busy machine, it is
  // slower than 30 ms to report the signal.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.on(signal, shutdown);
  }
}

main().catch((error: Error) => {
  console.error(`\nPixel could not start: ${error.message}`);
  process.exit(1);
});
