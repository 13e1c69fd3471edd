import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { join, relative } from "node:path";
import { migrateClickHouse } from "../lib/clickhouse/node/migrate";
import { USERS_SQL_PATH, usersSqlFor } from "../lib/clickhouse/node/users";
import { deploy, DeployError, type Wrangler } from "./deploy";
import { deployConfigFrom, MissingSettingsError, SETTINGS, type DeployConfig } from "./settings";
import { readWorkerConfig, ROOT } from "./workers";

const dryRun = process.argv.includes("--dry-run");
const interactive = process.stdin.isTTY && !process.argv.includes("--yes");

/** The real wrangler CLI of this repo (pinned), with the secret value on stdin, never on the command line. */
const wrangler: Wrangler = (args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdin.end(options.input ?? "");
    child.on("close", (code) => resolve({ ok: code === 0, output }));
  });

/** Prints what would run; answers as an empty account would. */
const planOnly: Wrangler = async (args) => {
  console.log(`  would run: wrangler ${args.join(" ")}`);
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
      : (c) => migrateClickHouse({ url: c.clickHouse.url, database: c.clickHouse.database, username: c.clickHouse.admin.user, password: c.clickHouse.admin.password }),
    buildDashboard: dryRun ? async () => "pages/dashboard/dist" : buildDashboard,
    randomSecret: () => randomBytes(32).toString("hex"),
    outDir: join(ROOT, ".pixel/deploy"),
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
