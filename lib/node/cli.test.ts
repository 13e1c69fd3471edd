import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "@pixel/test/support/cli";

const BENCHMARKS = join(ROOT, "docs/benchmarks.md");

/** Every `npm run` script that is a TypeScript CLI: `tsx <file>`, or `node --import tsx <file>` (no relaying parent). */
const CLIS = Object.entries(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>)
  .map(([script, command]) => [script, /^(?:tsx|node --import tsx) (\S+)$/.exec(command)?.[1]] as const)
  .filter((cli): cli is readonly [string, string] => cli[1] !== undefined);

/** Anything a CLI would reach (ClickHouse, the api, the flusher) points here, so a side effect shows as a request. */
let requests: string[] = [];
let server: Server;
let env: Record<string, string>;
const dataDir = mkdtempSync(join(tmpdir(), "pixel-cli-"));

beforeAll(async () => {
  server = createServer((request, response) => (requests.push(`${request.method} ${request.url}`), response.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = String((server.address() as { port: number }).port);
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dataDir, "dev-secrets.json"), JSON.stringify({ adminPassword: "local-password", sessionSecret: "s".repeat(64) }));
  env = { PIXEL_DATA_DIR: dataDir, CLICKHOUSE_URL: url, PIXEL_CLICKHOUSE_PORT: port, PIXEL_API_PORT: port, PIXEL_FLUSHER_URL: url, PIXEL_ADMIN_TOKEN: "t".repeat(20), WRANGLER_SEND_METRICS: "false" };
});
afterAll(() => {
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const run = (file: string, args: string[]) => runCli(file, args, env);

describe("every CLI reads its flags strictly", () => {
  it("covers the CLIs the issue names", () => {
    expect(CLIS.map(([script]) => script)).toEqual(expect.arrayContaining(["deploy", "seed", "bench", "migrate", "create-admin", "replay-dead-letters"]));
  });

  it.each(CLIS)("`npm run %s -- --help` prints its usage and touches nothing", async (script, file) => {
    requests = [];
    const benchmarks = { text: readFileSync(BENCHMARKS, "utf8"), mtime: statSync(BENCHMARKS).mtimeMs };
    const { code, stdout } = await run(file, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`npm run ${script}`);
    expect(requests).toEqual([]);
    expect({ text: readFileSync(BENCHMARKS, "utf8"), mtime: statSync(BENCHMARKS).mtimeMs }).toEqual(benchmarks);
  }, 40_000);

  it.each(CLIS)("`npm run %s` refuses an unknown flag, naming it, before doing anything", async (script, file) => {
    requests = [];
    const { code, stderr } = await run(file, ["--no-such-flag"]);
    expect(code).toBe(2);
    expect(stderr).toContain("'--no-such-flag'");
    expect(stderr).toContain(`npm run ${script} -- --help`);
    expect(requests).toEqual([]);
  }, 40_000);

  it("`npm run deploy -- --dryrun` (a typo) stops instead of deploying", async () => {
    const { code, stderr } = await run("deploy/main.ts", ["--dryrun"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--dryrun'/);
  }, 40_000);

  it("a flag's bad value is named too: `npm run seed -- --events` without a number", async () => {
    const { code, stderr } = await run("dev/seed.ts", ["--events"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--events");
  }, 40_000);
});
