import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerOptions } from "miniflare";
import { unstable_generateASSETSBinding } from "wrangler";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DASHBOARD = join(ROOT, "pages/dashboard/");

/** The dashboard with hot reload, as `npm run dev` serves it; /api goes to the api Worker (vite.config.ts's proxy). */
export async function startDashboardDevServer(options: { port: number; apiUrl: string }) {
  const { createServer } = await import("vite");
  const apiPort = new URL(options.apiUrl).port;
  process.env.PIXEL_API_PORT = apiPort;
  const server = await createServer({
    configFile: join(DASHBOARD, "vite.config.ts"),
    server: { port: options.port, strictPort: true, host: "127.0.0.1" },
    logLevel: "warn",
  });
  await server.listen();
  const address = server.httpServer?.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

/** The Pages project's compatibility date; Functions run with it in production. */
const PAGES_COMPATIBILITY_DATE = "2026-04-20";

/**
 * The built dashboard as Cloudflare Pages serves it, for one workerd process with the api Worker: the Functions in
 * functions/ compiled by wrangler as Pages compiles them (so /api/* reaches the api over the service binding `API`),
 * and static assets from wrangler's Pages asset server, which applies `_headers` (and serves index.html for unknown paths) as Pages does.
 */
export async function dashboardWorker(options: { port: number }): Promise<{ worker: WorkerOptions; close(): void }> {
  const dist = join(DASHBOARD, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("the dashboard is not built: run `npm run build:dashboard`");
  const script = await compilePagesFunctions();
  const stop = new AbortController();
  const assets = await unstable_generateASSETSBinding({ directory: dist, log: quietLog, signal: stop.signal });
  const worker: WorkerOptions = {
    name: "dashboard",
    modules: [{ type: "ESModule", path: join(DASHBOARD, "functions/index.mjs"), contents: script }],
    compatibilityDate: PAGES_COMPATIBILITY_DATE,
    serviceBindings: { API: "api", ASSETS: assets as never },
    unsafeDirectSockets: [{ host: "127.0.0.1", port: options.port }],
  };
  return { worker, close: () => stop.abort() };
}

/** The Worker wrangler compiles from functions/, as `wrangler pages deploy` does. */
async function compilePagesFunctions(): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), "pixel-pages-functions-"));
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const args = [wrangler, "pages", "functions", "build", join(DASHBOARD, "functions"), "--outdir", outdir, "--compatibility-date", PAGES_COMPATIBILITY_DATE];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
  try {
    if (code !== 0) throw new Error(`wrangler could not compile the dashboard's Pages Functions:\n${output}`);
    return readFileSync(join(outdir, "index.js"), "utf8");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const quietLog = { debug() {}, info() {}, log() {}, warn: console.warn, error: console.error } as never;
