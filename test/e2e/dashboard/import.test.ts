import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { TEST_DATABASES } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { runCli } from "../../support/cli";
import { signIn } from "../../support/sign-in";
import { testClickHouse } from "../../support/clickhouse";
import { startTestStack } from "../../support/stack";

const ADMIN_PASSWORD = "e2e-import-admin-password";
const POLL = { timeout: 15_000 };
const HEADER = "website_id,session_id,visit_id,event_id,hostname,url_path,page_title,event_type,created_at\n";
let stack: Stack;
let dataDir: string;
let cookie: string;

/** An Umami export of `count` pageviews on `domain`, one visit each; `broken` lines have a bad date. */
function umamiCsv(domain: string, count: number, broken: number[] = [], title = "Page"): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const date = broken.includes(i + 2) ? "not a date" : `2024-05-0${1 + (i % 7)} 10:${String(i % 60).padStart(2, "0")}:00`;
    return `w,${id},${id},${id},${domain},/page-${i % 40},${title},1,${date}\n`;
  });
  return HEADER + rows.join("");
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.urls.dashboard}${path}`, {
    method,
    headers: { "content-type": "application/json", origin: stack.urls.dashboard, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, any> };
}

async function newSite(domain: string): Promise<string> {
  const created = await api("POST", "/api/sites", { domain, timezone: "UTC" });
  expect(created.status).toBe(201);
  return created.body.site.id;
}

const pageviews = async (siteId: string) =>
  (await api("POST", "/api/v2/query", { site_id: siteId, metrics: ["pageviews"], date_range: ["2024-05-01", "2024-05-31"] })).body.results[0].metrics[0];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-import-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, testClickHouse(TEST_DATABASES.dashboard));
  const login = await fetch(`${stack.urls.dashboard}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.urls.dashboard },
    body: JSON.stringify({ email: stack.admin.email, password: ADMIN_PASSWORD }),
  });
  cookie = login.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run import", () => {
  /** Forwards to the dashboard's origin, and refuses every import request after the first `allowed`. */
  function flakyProxy(allowed: number): Promise<{ url: string; server: Server }> {
    let imports = 0;
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (request.url!.endsWith("/imports") && ++imports > allowed) {
        response.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: "the proxy refuses it" }));
        return;
      }
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name))) as Record<string, string>;
      headers.origin &&= stack.urls.dashboard;
      const answer = await fetch(`${stack.urls.dashboard}${request.url}`, { method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const cookies = answer.headers.getSetCookie();
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "", ...(cookies.length ? { "set-cookie": cookies } : {}) });
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
  }

  it("sends a large file in parts, stops where the api refuses, and resumes after the last finished part", async () => {
    const siteId = await newSite("cli-import.example");
    const dir = mkdtempSync(join(tmpdir(), "pixel-import-cli-"));
    const file = join(dir, "website_event.csv");
    writeFileSync(file, umamiCsv("cli-import.example", 3000, [1500]));
    const state = join(dir, "state.json");
    const args = (url: string) => ["--url", url, "--site", siteId, "--email", stack.admin.email, "--state", state, "--part-mib", "0.05", file];
    const env = { PIXEL_PASSWORD: ADMIN_PASSWORD };
    const proxy = await flakyProxy(2);
    try {
      const stopped = await runCli("deploy/import/index.ts", args(proxy.url), env);
      expect(stopped.code, stopped.stderr).toBe(1);
      expect(stopped.stdout).toMatch(/part 2 \([\d.]+ MiB\): [\d,]+ rows/);
      expect(stopped.stderr).toContain("the api refused the part (403): the proxy refuses it");
    } finally {
      proxy.server.close();
    }
    const [finished] = Object.entries(JSON.parse(readFileSync(state, "utf8")).files).filter(([key]) => key.startsWith(`${file}|`));
    const parts = Object.keys(finished![1] as object);
    expect(parts).toEqual(["1", "2"]);

    const resumed = await runCli("deploy/import/index.ts", args(stack.urls.dashboard), env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/part 1 \([\d.]+ MiB\), imported by an earlier run/);
    expect(resumed.stdout).toMatch(/part 3 \([\d.]+ MiB\): [\d,]+ rows/);
    // The bad line is named by its line in the whole file, though it was sent in a later part.
    expect(resumed.stdout).toContain("line 1500: created_at");
    expect(resumed.stdout).toMatch(/3,000 rows, 2,999 events written, 1 lines skipped/);
    expect(await pageviews(siteId)).toBe(2999);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a file no format matches before it sends anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pixel-import-cli-"));
    const file = join(dir, "other.csv");
    writeFileSync(file, "a,b\n1,2\n");
    const refused = await runCli("deploy/import/index.ts", ["--url", stack.urls.dashboard, "--site", stack.siteId, "--email", stack.admin.email, "--state", join(dir, "s.json"), file], { PIXEL_PASSWORD: ADMIN_PASSWORD });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the header row matches no import format");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("the settings' import page", () => {
  let browser: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.close();
  });
  afterAll(() => browser?.close());

  it("uploads a file larger than one request takes, in parts, and shows what it imported with the skipped lines", async () => {
    const siteId = await newSite("page-import.example");
    // Over the api's 20 MiB limit for one request: the page must split it.
    // Long titles make it large with few rows, so the import itself stays quick.
    const rows = 12_000;
    const csv = umamiCsv("page-import.example", rows, [7, rows], "T".repeat(1900));
    expect(Buffer.byteLength(csv)).toBeGreaterThan(20 * 1024 * 1024);
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${siteId}/settings/import`);
    await page.getByTestId("import-files").setInputFiles({ name: "website_event.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("import-submit").click();
    await expect.poll(() => page.getByTestId("import-submit").textContent(), { timeout: 110_000 }).toBe("Import");
    expect(await page.getByTestId("import-error").count()).toBe(0);
    expect(await page.getByTestId("import-counts").textContent()).toMatch(/^umami: 12,000 rows in 2 parts, 11,998 events written, 2 lines skipped$/);
    expect(await page.getByTestId("import-skipped").locator("li").allTextContents()).toEqual([
      expect.stringMatching(/^line 7: created_at/),
      expect.stringMatching(new RegExp(`^line ${rows}: created_at`)),
    ]);
    expect(await pageviews(siteId)).toBe(rows - 2);
    await page.close();
  }, 120_000);

  it("names a file no format matches, and sends nothing", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/import`);
    await page.getByTestId("import-files").setInputFiles({ name: "other.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n") });
    await page.getByTestId("import-submit").click();
    await expect.poll(() => page.getByTestId("import-error").textContent(), POLL).toContain("Can't import other.csv: the header row matches no import format");
    expect(await page.getByTestId("import-report").count()).toBe(0);
    await page.close();
  });
});
