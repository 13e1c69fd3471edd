import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline/promises";
import { join, relative } from "node:path";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { parseCli } from "@pixel/lib/node/cli";
import { USERS_SQL_PATH, usersSqlFor } from "@pixel/lib/clickhouse/node/users";
import { deploy, DeployError, type Wrangler } from "./deploy";
import { deployConfigFrom, MissingSettingsError, SETTINGS, type DeployConfig } from "./settings";
import { DEPLOY_DIR, readWorkerConfig, ROOT } from "./workers";
import { wrangler } from "./wrangler";

const USAGE = `Deploys Pixel to your Cloudflare account and ClickHouse (docs/deploy.md).

  npm run deploy -- [--dry-run] [--yes]

Settings come from the environment (docs/deploy.md, "Settings"); in a terminal it asks for those missing.
  --dry-run   prints every step, changes nothing
  --yes       never asks: missing settings stop the deploy (for CI)`;

const { values: flags } = parseCli("deploy", USAGE, { options: { "dry-run": { type: "boolean", default: false }, yes: { type: "boolean", default: false } } });
const dryRun = flags["dry-run"];
const interactive = process.stdin.isTTY && !flags.yes;

/** Prints what would run; answers as an empty account would. */
const planOnly: Wrangler = async (args, options = {}) => {
  console.log(`  would run: wrangler ${args.join(" ")}${options.cwd ? `  (in ${options.cwd})` : ""}`);
  if (args[0] === "d1" && args[1] === "list") return { ok: true, output: JSON.stringify([{ name: "pixel", uuid: "<id of the pixel D1 database>" }]) };
  if (args[0] === "secret" && args[1] === "list") return { ok: true, output: "[]" };
  return { ok: true, output: "" };
};

async function askForMissing(env: Record<string, string | undefined>) {
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  for (const setting of SETTINGS) {
    if (env[setting.name] !== undefined || setting.default !== undefined || setting.name === "PIXEL_SESSION_SECRET") continue;
    const question = `${setting.name} (${setting.description}): `;
    env[setting.name] = setting.secret ? await askHidden(prompt, question) : (await prompt.question(question)).trim();
  }
  prompt.close();
}

/** Reads a secret without echoing it. */
async function askHidden(prompt: ReturnType<typeof createInterface>, question: string): Promise<string> {
  const output = prompt as unknown as { _writeToOutput: (text: string) => void };
  const write = output._writeToOutput.bind(prompt);
  output._writeToOutput = (text: string) => write(text.startsWith(question) ? question : "");
  const answer = await prompt.question(question);
  output._writeToOutput = write;
  process.stdout.write("\n");
  return answer.trim();
}

async function buildDashboard({ apiOrigin, collectorPath }: { apiOrigin: string; collectorPath: string }): Promise<string> {
  const { build } = await import("vite");
  process.env.VITE_PIXEL_API_ORIGIN = apiOrigin;
  process.env.VITE_PIXEL_COLLECTOR_PATH = collectorPath;
  await build({ configFile: join(ROOT, "pages/dashboard/vite.config.ts"), logLevel: "warn" });
  return join(ROOT, "pages/dashboard/dist");
}

async function main() {
  const env = { ...process.env };
  if (interactive && !dryRun) await askForMissing(env);
  const config: DeployConfig = deployConfigFrom(dryRun ? { ...placeholders(), ...env } : env);
  console.log(dryRun ? "Deploy plan (nothing is changed):" : `Deploying Pixel to ${config.zone} ...`);
  console.log(`\nThe ClickHouse users (${relative(ROOT, USERS_SQL_PATH)}); run once as an admin with your passwords, see docs/deploy.md:\n\n${usersSqlFor(config.clickHouse.database)}`);
  const where = await deploy(config, {
    wrangler: dryRun ? planOnly : wrangler,
    workerConfig: readWorkerConfig,
    migrateClickHouse: dryRun
      ? async () => console.log(`  would migrate ClickHouse at ${config.clickHouse.url}`)
      : (c) => migrateClickHouse({ url: c.clickHouse.url, database: c.clickHouse.database, topology: c.clickHouse.topology, username: c.clickHouse.admin.user, password: c.clickHouse.admin.password }),
    buildDashboard: dryRun ? async () => join(ROOT, "pages/dashboard/dist") : buildDashboard,
    randomSecret: () => randomBytes(32).toString("hex"),
    // A plan must not overwrite the configs of a real deploy, which create-admin --remote reads.
    outDir: dryRun ? mkdtempSync(join(tmpdir(), "pixel-deploy-plan-")) : DEPLOY_DIR,
    log: (line) => console.log(line),
  });
  console.log(`\nPixel is ${dryRun ? "planned" : "deployed"}:\n  ${where.join("\n  ")}`);
}

/** Stand-ins so a dry run can show the plan before any setting is known. */
function placeholders(): Record<string, string> {
  return Object.fromEntries(SETTINGS.filter((s) => s.default === undefined).map((s) => [s.name, s.name === "CLICKHOUSE_URL" ? "https://clickhouse.example:8443" : s.name === "PIXEL_ZONE" ? "example.com" : `<${s.name}>`]));
}

main().catch((error: Error) => {
  const known = error instanceof DeployError || error instanceof MissingSettingsError;
  console.error(`\nDeploy stopped: ${known ? error.message : error.stack}`);
  console.error("Fix the cause and run `npm run deploy` again: steps already done are reused.");
  process.exit(1);
});
