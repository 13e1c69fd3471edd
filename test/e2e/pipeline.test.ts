import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { shot } from "../support/screenshots";
import { startTestStack } from "../support/stack";
import { TEST_DATABASES } from "../setup/databases";
import { launchBrowser } from "../support/chromium";
import { apiSession } from "../support/sign-in";
import { until } from "../support/poll";
import { testClickHouse } from "../support/clickhouse";

const ADMIN_PASSWORD = "e2e-password-123";
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, testClickHouse(TEST_DATABASES.e2e));
  browser = await launchBrowser();
  await browser.addInitScript(() => Object.assign(window, { __pixel_test: true }));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function query(cookie: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack.urls.api}/api/v2/query`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.urls.api, cookie },
    body: JSON.stringify({ site_id: stack.siteId, date_range: "day", ...body }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: { dimensions: string[]; metrics: number[] }[] }).results;
}

describe("a visit, from the browser to the dashboard", () => {
  it("pixel.js → collector → queue → flusher → ClickHouse → /api/v2/query, with exact counts", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.demo}/`);
    await page.click("text=Pricing");
    await page.waitForURL("**/pricing.html");
    await page.click("#signup");
    await page.goto("about:blank");
    await page.close();

    const cookie = await apiSession(stack.urls.api, stack.admin.email, ADMIN_PASSWORD);
    const events = await until(
      () => query(cookie, { metrics: ["events"], dimensions: ["event:name"] }),
      (rows) => rows.reduce((sum, row) => sum + row.metrics[0]!, 0) >= 3,
    );
    expect(events).toEqual([
      { dimensions: ["pageview"], metrics: [2] },
      { dimensions: ["signup"], metrics: [1] },
    ]);
    expect(await query(cookie, { metrics: ["visitors", "pageviews", "visits"] })).toEqual([{ dimensions: [], metrics: [1, 2, 1] }]);
    const pages = await query(cookie, { metrics: ["pageviews"], dimensions: ["event:page"], filters: [["is", "event:name", ["pageview"]]] });
    expect(pages).toEqual([
      { dimensions: ["/"], metrics: [1] },
      { dimensions: ["/pricing.html"], metrics: [1] },
    ]);
  });

  it("shows the visit on the dashboard after signing in", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/`);
    await page.getByTestId("login-email").fill(stack.admin.email);
    await page.getByTestId("login-password").fill(ADMIN_PASSWORD);
    await page.getByTestId("login-submit").click();
    await expect.poll(() => page.getByTestId("stat-pageviews").textContent(), { timeout: 15_000 }).toBe("2");
    expect(await page.getByTestId("stat-visitors").textContent()).toBe("1");
    await expect.poll(async () => (await page.getByTestId("top-page-path").allTextContents()).sort()).toEqual(["/", "/pricing.html"]);
    await shot(page, "site-overview", { fullPage: true });
    await page.close();
  });

  it("refuses a wrong password on the dashboard with the API's message", async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/login`);
    await page.getByTestId("login-email").fill(stack.admin.email);
    await page.getByTestId("login-password").fill("wrong");
    await page.getByTestId("login-submit").click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toContain("wrong e-mail or password");
    await page.close();
  });
});
