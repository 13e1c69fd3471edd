import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { signIn } from "../../support/sign-in";
import { shot } from "../../support/screenshots";
import { startTestStack } from "../../support/stack";
import { connectClickHouse } from "@pixel/lib/clickhouse/client";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { TEST_DATABASES } from "../../setup/databases";
import { visitsOf } from "./visits";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";
import { REFRESH_MS } from "@pixel/pages/dashboard/src/live";

const ADMIN_PASSWORD = "e2e-dashboard-password";
const DATABASE = TEST_DATABASES.dashboard;
/** The local ClickHouse runs at most three reads at a time on two cores, and a write alone, so an answer can wait behind the page's refreshes. */
const POLL = { timeout: 10_000 };
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;

/** Three visitors today: 5 pageviews over /, /pricing and /blog, and one signup; one visitor yesterday. */
function visits(siteId: string): EventRow[] {
  const { midnight, visit } = visitsOf(siteId);
  return [
    ...visit("101", ["/", "/pricing"], { country: "DE", browser: "Chrome", channel: "organic search", referrer_host: "google.com" }),
    ...visit("101", ["/pricing"], { name: "signup" }),
    ...visit("102", ["/"], { country: "FR", browser: "Firefox" }),
    ...visit("103", ["/blog", "/"], { country: "US", browser: "Safari", webview: "Instagram" }),
    ...visit("104", ["/"], {}, () => midnight - 12 * 3_600_000),
  ];
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-dashboard-"));
  const clickHouse = testClickHouse(DATABASE);
  // startStack applies the ClickHouse migrations to this database before anything reads it.
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, clickHouse);
  const client = connectClickHouse(clickHouse);
  await insertEvents(client, visits(stack.siteId));
  await client.close();
  browser = await launchBrowser();
  await signInAsAdmin();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const text = (page: Page, testId: string) => page.getByTestId(testId).first().textContent();

/** Signs in through the login page; the browser context keeps the session for every test. */
async function signInAsAdmin() {
  const page = await browser.newPage();
  await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
  await page.waitForURL(`**/sites/${stack.siteId}?*`);
  await page.close();
}

describe("the site overview", () => {
  it("shows the inserted visits, and a clicked page filters the whole dashboard through the URL", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day&compare=previous`);
    await expect.poll(() => text(page, "stat-pageviews"), { timeout: 20_000 }).toBe("5");
    expect(await text(page, "stat-visitors")).toBe("3");
    expect(await text(page, "change-visitors")).toBe("↑200%");
    await expect.poll(async () => (await page.getByTestId("top-page-path").allTextContents()).sort(), POLL).toEqual(["/", "/blog", "/pricing"]);
    await page.getByTestId("chart").locator("canvas").first().waitFor();
    await shot(page, "dashboard-overview", { fullPage: true });

    await page.getByTestId("top-page-path").filter({ hasText: "/pricing" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll("f"), POLL).toEqual(["is,event:page,/pricing"]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    expect(await text(page, "stat-pageviews")).toBe("1");
    expect(await page.getByTestId("filter-chip").allTextContents()).toEqual([expect.stringContaining("Page is /pricing")]);
    await shot(page, "dashboard-filtered", { fullPage: true });

    // The filter survives a reload, and going back removes it.
    await page.reload();
    await expect.poll(() => text(page, "stat-pageviews"), { timeout: 20_000 }).toBe("1");
    await page.goBack();
    await expect.poll(() => text(page, "stat-pageviews"), POLL).toBe("5");
    expect(await page.getByTestId("filter-chip").count()).toBe(0);
    await page.close();
  });

  it("names the app of each in-app browser visit in the devices card, and leaves browser visits out", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => text(page, "stat-pageviews"), { timeout: 20_000 }).toBe("5");
    const card = page.getByTestId("card-devices");
    await card.getByRole("tab", { name: "In-app browsers" }).click();
    await expect.poll(() => card.getByTestId("breakdown-value").allTextContents(), POLL).toEqual(["Instagram"]);
    await page.close();
  });

  it("lists, searches and pages a whole breakdown in the details dialog", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => text(page, "stat-pageviews"), { timeout: 20_000 }).toBe("5");
    await page.getByTestId("card-pages").getByRole("button", { name: /Details/ }).click();
    const dialog = page.getByTestId("details-dialog");
    await expect.poll(async () => (await dialog.getByTestId("details-value").allTextContents()).sort(), POLL).toEqual(["/", "/blog", "/pricing"]);
    expect(new URL(page.url()).searchParams.get("details")).toBe("top");

    await dialog.getByTestId("details-search").fill("bl");
    await expect.poll(() => dialog.getByTestId("details-value").allTextContents(), POLL).toEqual(["/blog"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("bl");
    await shot(page, "dashboard-details");

    const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByTestId("details-export").click()]);
    expect(download.suggestedFilename()).toBe("localhost-top-day.csv");
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toMatch(/^Page,Visitors,Pageviews/);
    expect(csv).toContain("\r\n/blog,1,1");
    expect(csv).not.toContain("/pricing");

    await dialog.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("details"), POLL).toBeNull();
    await page.close();
  });

  it("is usable at 390 px in the dark theme, which it remembers", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => text(page, "stat-visitors"), { timeout: 20_000 }).toBe("3");
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    if (before !== "dark") await page.getByTestId("theme-toggle").click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.reload();
    await expect.poll(() => text(page, "stat-visitors"), { timeout: 20_000 }).toBe("3");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, "dashboard-mobile-dark", { fullPage: true });

    // A custom range that takes in yesterday's visitor too.
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId("range-select").selectOption("custom");
    await page.getByTestId("range-from").fill(yesterday);
    await page.getByTestId("range-to").fill(today);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => new URL(page.url()).search, POLL).toContain(`range=custom&from=${yesterday}&to=${today}`);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("4");
    await page.getByTestId("range-select").selectOption("all");
    await expect.poll(() => new URL(page.url()).searchParams.get("range"), POLL).toBe("all");
    await page.getByTestId("chart").locator("canvas").first().waitFor();
    await page.close();
  });
});

describe("refreshing", () => {
  /** The date ranges of the stats queries the page sends, one entry per query. */
  function askedRanges(page: Page): string[] {
    const ranges: string[] = [];
    page.on("request", (request) => {
      if (!/^\/api\/v2\/quer(y|ies)$/.test(new URL(request.url()).pathname)) return;
      const body = JSON.parse(request.postData() ?? "{}") as { queries?: { date_range: unknown }[]; date_range?: unknown };
      for (const query of body.queries ?? [body]) ranges.push(JSON.stringify(query.date_range));
    });
    return ranges;
  }
  const settle = async (page: Page) => {
    await expect.poll(() => page.locator("main.site [aria-busy='true']").count(), POLL).toBe(0);
    await page.waitForTimeout(300);
  };

  it("refreshes a range that includes today every REFRESH_MS, and leaves a range that ended before today as loaded", async () => {
    const page = await browser.newPage();
    await page.clock.install();
    const ranges = askedRanges(page);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const ofYesterday = () => ranges.filter((range) => range === JSON.stringify([yesterday, yesterday])).length;
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=custom&from=${yesterday}&to=${yesterday}`);
    await expect.poll(() => text(page, "stat-visitors"), { timeout: 20_000 }).toBe("1");
    await settle(page);
    expect(await page.getByRole("status").or(page.locator(".status")).first().textContent()).toContain("doesn't refresh");
    const loaded = ofYesterday();
    expect(loaded).toBeGreaterThan(0);
    for (let tick = 0; tick < 3; tick++) await page.clock.fastForward(REFRESH_MS);
    await settle(page);
    expect(ofYesterday()).toBe(loaded);

    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => text(page, "stat-pageviews"), { timeout: 20_000 }).toBe("5");
    await settle(page);
    const today = ranges.length;
    await page.clock.fastForward(REFRESH_MS);
    await expect.poll(() => ranges.length, POLL).toBeGreaterThan(today);
    await page.close();
  });
});

describe("a query the api refuses", () => {
  it("shows the api's message, after one request per panel", async () => {
    // JavaScript takes this lookahead, so the filter editor and the URL do; ClickHouse's re2 doesn't, and the api says so.
    const lookahead = "(?=x)";
    const page = await browser.newPage();
    const sent: { dimensions?: string[]; date_range: unknown }[] = [];
    page.on("request", (request) => {
      if (request.method() !== "POST" || !/\/api\/v2\/quer(y|ies)$/.test(new URL(request.url()).pathname)) return;
      const body = request.postDataJSON() as { queries?: unknown[] };
      const queries = (body.queries ?? [body]) as typeof sent;
      sent.push(...queries.filter((query) => JSON.stringify(query).includes(JSON.stringify(lookahead))));
    });
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day&f=${encodeURIComponent(`matches,event:page,${lookahead}`)}`);
    const chart = page.locator(".chart-panel");
    await expect.poll(() => chart.getByRole("alert").textContent(), POLL).toContain("re2 has no lookaround");
    expect(await page.getByTestId("card-pages").getByRole("alert").textContent()).toContain("re2 has no lookaround");
    await expect.poll(() => page.locator("p.status").textContent(), POLL).toContain("re2 has no lookaround");
    const overDay = sent.filter((query) => query.date_range === "day");
    expect(overDay.filter((query) => !query.dimensions).length).toBe(1);
    expect(overDay.filter((query) => query.dimensions?.some((d) => d.startsWith("time"))).length).toBe(1);
    expect(new Set(sent.map((query) => JSON.stringify(query))).size).toBe(sent.length);
    expect(await page.getByText("Not available yet").count()).toBe(0);
    await page.close();
  });
});

describe("annotations", () => {
  it("a site admin adds a note in the settings; the chart shows it at its day, with its text on hover", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/annotations`);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId("annotation-date").fill(yesterday);
    await page.getByTestId("annotation-text").fill("launched pricing v2");
    await page.getByTestId("create-annotation").click();
    await expect.poll(() => page.getByTestId("annotation-row").textContent(), POLL).toContain("launched pricing v2");

    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=7d`);
    const mark = page.getByTestId("annotation-mark");
    await mark.waitFor(POLL);
    expect(await mark.count()).toBe(1);
    expect(await mark.getAttribute("aria-label")).toBe("Annotation: launched pricing v2");
    // 7d is six days ago to today: yesterday is the sixth of seven days, five sixths across the plot.
    const [markBox, plotBox] = [await mark.boundingBox(), await page.locator(".time-chart .u-over").boundingBox()];
    expect(Math.abs(markBox!.x + markBox!.width / 2 - (plotBox!.x + (plotBox!.width * 5) / 6))).toBeLessThan(3);
    await mark.hover();
    const tip = await mark.evaluate((element) => getComputedStyle(element, "::after").content);
    expect(tip).toBe('"launched pricing v2"');
    await shot(page, "dashboard-annotation");
    await page.close();
  });
});

describe("all sites at a glance", () => {
  it("lists every site with its visitors today and over 7 days, a sparkline and the change, from one request", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}`);
    const created = await page.evaluate(async () => {
      const response = await fetch("/api/sites", {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ domain: "second.example", name: "Second" }),
      });
      return ((await response.json()) as { site: { id: string } }).site.id;
    });
    const { midnight, visit } = visitsOf(created);
    const client = connectClickHouse(testClickHouse(DATABASE));
    await insertEvents(client, [...visit("201", ["/"]), ...visit("202", ["/a", "/b"]), ...visit("203", ["/"], {}, () => midnight - 8 * 86_400_000)]);
    await client.close();

    const asked: string[] = [];
    page.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith("/api/") && path !== "/api/auth/me" && path !== "/api/sites") asked.push(path);
    });
    await page.goto(`${stack.urls.dashboard}/`);
    const rows = page.getByTestId("site-row");
    await expect.poll(() => rows.count(), POLL).toBe(2);
    const second = rows.filter({ hasText: "Second" });
    await expect.poll(() => second.getByTestId("site-today").textContent(), POLL).toBe("2");
    expect(await second.getByTestId("site-7d").textContent()).toBe("2");
    expect(await second.getByTestId("site-change").textContent()).toBe("↑100%");
    const demo = rows.filter({ hasNotText: "Second" });
    expect(await demo.getByTestId("site-today").textContent()).toBe("3");
    expect(await demo.getByTestId("site-7d").textContent()).toBe("4");
    expect(await demo.getByTestId("site-change").textContent()).toBe("—");
    expect(await page.getByTestId("sparkline").count()).toBe(2);
    expect(asked).toEqual(["/api/sites/overview"]);
    await shot(page, "dashboard-all-sites");

    await second.getByRole("link").click();
    await page.waitForURL(`**/sites/${created}*`);
    await page.close();
  });
});
