/**
 * `npm run dev` as a new user runs it: the README's own command in a fresh data folder, on free ports from the
 * documented variables, stopped with Ctrl-C. It is `npm run dev` and not `node --import tsx dev/run.ts`, so
 * package.json's script is proven too, and Ctrl-C is what a terminal sends: SIGINT to the whole process group (npm, sh,
 * node, workerd).
 *
 * Without CLICKHOUSE_URL it must start the embedded ClickHouse; with it (CI's external pass) it inherits it and must
 * use that server, in a database of its own. The users there are server-wide and npm run dev applies users.sql with its
 * own passwords, so afterwards the run's users are put back (the e2e files run one at a time, after the other projects).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEV_ADMIN_EMAIL } from "@pixel/dev/stack/bootstrap";
import { LOCAL_PORTS, type LocalPart } from "@pixel/dev/stack/index";
import { freePort } from "@pixel/dev/stack/proxy";
import { type ClickHouseConfig, DEFAULT_DATABASE, selectRows, withClickHouse } from "@pixel/lib/clickhouse/client";
import { LOCAL_ADMIN, localPasswordsIn } from "@pixel/lib/clickhouse/node/users";
import { DEV_DATABASE } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { ROOT } from "../../support/cli";
import { restoreTestUsers, testAdmin } from "../../support/clickhouse";
import { until } from "../../support/poll";
import { apiSession, signIn } from "../../support/sign-in";

const EXTERNAL = Boolean(process.env.CLICKHOUSE_URL);
const ADMIN_PASSWORD = "npm-run-dev-e2e-password";
/** Starting takes a minute on a quiet machine (vite, workerd, migrations) and far longer on a busy one. */
const START = 600_000;
/** Vite's dev server transforms the dashboard on first request. */
const SLOW = 300_000;

/** The banner's label of each part's URL. */
const BANNER_LABELS: Record<LocalPart, string> = { collector: "Collector", api: "API", dashboard: "Dashboard", demo: "Demo site", clickhouse: "ClickHouse" };

let ports: Record<LocalPart, number>;
let dataDir: string;
let dev: ChildProcess;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let output = "";
let banner: Record<LocalPart, string>;
let browser: BrowserContext;

/** The ClickHouse the test reads directly, as its admin: the external one, or the embedded one npm run dev started. */
const directClickHouse = (): ClickHouseConfig =>
  EXTERNAL
    ? { url: inject("clickHouseUrl"), database: DEV_DATABASE, ...testAdmin() }
    : { url: banner.clickhouse, database: DEFAULT_DATABASE, username: LOCAL_ADMIN, password: localPasswordsIn(dataDir)[LOCAL_ADMIN] };

const dropDevDatabase = () =>
  withClickHouse({ url: inject("clickHouseUrl"), database: "default", ...testAdmin() }, (client) =>
    client.command({ query: `DROP DATABASE IF EXISTS ${DEV_DATABASE} SYNC` }),
  );

/** The environment of a new user's shell: no test-runner variables, and the documented ones for ports and data. */
function devEnvironment(): NodeJS.ProcessEnv {
  const shell = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST$|NODE_ENV$|CLICKHOUSE_DATABASE$)/.test(name)));
  const portVariables = Object.fromEntries(Object.entries(ports).map(([part, port]) => [LOCAL_PORTS[part as LocalPart].variable, String(port)]));
  return { ...shell, ...portVariables, PIXEL_DATA_DIR: dataDir, PIXEL_ADMIN_PASSWORD: ADMIN_PASSWORD, ...(EXTERNAL && { CLICKHOUSE_DATABASE: DEV_DATABASE }) };
}

/** Resolves with the banner's URLs once npm run dev prints it; rejects with its output if it exits first. */
function bannerOf(child: ChildProcess): Promise<Record<LocalPart, string>> {
  return new Promise((resolve, reject) => {
    const read = () => {
      if (!output.includes("Press Ctrl-C to stop.")) return;
      child.stdout!.off("data", read);
      const urlOf = (label: string) => new RegExp(`^\\s+${label}\\s+(\\S+)`, "m").exec(output)?.[1] ?? "";
      resolve(Object.fromEntries(Object.entries(BANNER_LABELS).map(([part, label]) => [part, urlOf(label)])) as Record<LocalPart, string>);
    };
    child.stdout!.on("data", read);
    child.once("exit", (code) => reject(new Error(`npm run dev exited (${code}) before it was running:\n${output}`)));
  });
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  const free = new Set<number>();
  while (free.size < 5) free.add(await freePort());
  const [collector, api, dashboard, demo, clickhouse] = [...free] as [number, number, number, number, number];
  ports = { collector, api, dashboard, demo, clickhouse };
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-npm-run-dev-"));
  if (EXTERNAL) await dropDevDatabase();
  dev = spawn("npm", ["run", "dev"], { cwd: ROOT, env: devEnvironment(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  dev.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  dev.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  exited = new Promise((resolve) => dev.once("exit", (code, signal) => resolve({ code, signal })));
  banner = await bannerOf(dev);
  browser = await launchBrowser();
  await browser.addInitScript(() => Object.assign(window, { __pixel_test: true }));
}, START);

afterAll(async () => {
  if (dev?.pid && groupAlive(dev.pid)) process.kill(-dev.pid, "SIGKILL");
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (EXTERNAL) {
    await dropDevDatabase();
    await restoreTestUsers();
  }
}, SLOW);

describe(`npm run dev, with ${EXTERNAL ? "the external ClickHouse in CLICKHOUSE_URL" : "the embedded ClickHouse"}`, () => {
  it("prints each part's URL on the ports the environment chose", () => {
    expect(banner).toMatchObject({
      collector: `http://127.0.0.1:${ports.collector}/telemetry/pixel.js`,
      api: `http://127.0.0.1:${ports.api}/api/health`,
      dashboard: `http://127.0.0.1:${ports.dashboard}`,
      demo: `http://localhost:${ports.demo}`,
    });
    expect(output).toContain(`sign in as ${DEV_ADMIN_EMAIL} / ${ADMIN_PASSWORD}`);
    expect(output).toContain(`Local data      ${dataDir}`);
  });

  /** Which ClickHouse it used: the one in CLICKHOUSE_URL, or the embedded one; never both. */
  const usedClickHouse = EXTERNAL
    ? async () => {
        expect(output).toContain(`ClickHouse      ${inject("clickHouseUrl")}   (CLICKHOUSE_URL)`);
        expect(output).toContain(`ClickHouse schema up to date in database "${DEV_DATABASE}"`);
        expect(await answers(ports.clickhouse)).toBe(false);
        expect(existsSync(join(dataDir, "clickhouse"))).toBe(false);
      }
    : async () => {
        expect(output).toContain(`ClickHouse      http://127.0.0.1:${ports.clickhouse}   (local chDB server)`);
        expect(output).toContain(`ClickHouse schema up to date in database "${DEFAULT_DATABASE}"`);
        expect(await (await fetch(`${banner.clickhouse}/ping`)).text()).toBe("Ok.\n");
        expect(existsSync(join(dataDir, "clickhouse"))).toBe(true);
      };
  it(
    EXTERNAL
      ? "uses CLICKHOUSE_URL, migrated in a database of its own, and opens no local ClickHouse"
      : "starts the embedded ClickHouse on PIXEL_CLICKHOUSE_PORT, with its data in PIXEL_DATA_DIR",
    usedClickHouse,
  );

  it(
    "counts a visit to the demo site: pixel.js first-party, collector, queue, flusher, ClickHouse, /api/v2/query",
    async () => {
      const page = await browser.newPage();
      const script = page.waitForResponse((response) => new URL(response.url()).pathname === "/telemetry/pixel.js");
      await page.goto(`${banner.demo}/`);
      expect((await script).status()).toBe(200);
      expect(new URL((await script).url()).origin).toBe(banner.demo);
      await page.goto("about:blank");
      await page.close();

      const api = new URL(banner.api).origin;
      const cookie = await apiSession(api, DEV_ADMIN_EMAIL, ADMIN_PASSWORD);
      const { sites } = (await (await fetch(`${api}/api/sites`, { headers: { cookie } })).json()) as { sites: { id: string; domain: string }[] };
      const site = sites.find((candidate) => candidate.domain === "localhost")!;
      expect(site).toBeDefined();

      const stored = () =>
        withClickHouse(directClickHouse(), (client) =>
          selectRows<{ pageviews: number }>(client, "SELECT count() AS pageviews FROM events FINAL WHERE site_id = {site:String} AND name = 'pageview'", {
            site: site.id,
          }),
        );
      expect(await until(stored, ([row]) => row!.pageviews > 0, 60_000)).toEqual([{ pageviews: 1 }]);

      const response = await fetch(`${api}/api/v2/query`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: api, cookie },
        body: JSON.stringify({ site_id: site.id, date_range: "day", metrics: ["visitors", "pageviews"] }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { results: unknown }).results).toEqual([{ dimensions: [], metrics: [1, 1] }]);
    },
    SLOW,
  );

  it(
    "serves the dashboard with hot reload, which signs the admin in and shows the visit",
    async () => {
      const html = await fetch(banner.dashboard);
      expect(html.status).toBe(200);
      expect(await html.text()).toContain("/@vite/client");
      const page = await browser.newPage();
      await signIn(page, banner.dashboard, DEV_ADMIN_EMAIL, ADMIN_PASSWORD);
      await expect.poll(() => page.getByTestId("stat-pageviews").textContent(), { timeout: 120_000 }).toBe("1");
      await page.close();
    },
    SLOW,
  );

  it(
    "stops on Ctrl-C, quietly, and leaves no port bound and no process behind",
    async () => {
      process.kill(-dev.pid!, "SIGINT");
      // npm ends as its script's shell did: bash with the runner's 0; dash, having waited for it, on the SIGINT it got too.
      const { code, signal } = await exited;
      expect([0, "SIGINT"]).toContain(code ?? signal);
      expect(output.slice(output.lastIndexOf("Stopping Pixel ...")).trim()).toBe("Stopping Pixel ...\nPixel has stopped.");
      expect(await until(async () => groupAlive(dev.pid!), (alive) => !alive, 15_000)).toBe(false);
      const bound = await Promise.all(Object.values(ports).map(answers));
      expect(Object.fromEntries(Object.keys(ports).map((part, i) => [part, bound[i]]))).toEqual({
        collector: false,
        api: false,
        dashboard: false,
        demo: false,
        clickhouse: false,
      });
    },
    SLOW,
  );
});
