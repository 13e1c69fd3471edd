import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { signIn } from "../../support/sign-in";
import { shot } from "../../support/screenshots";
import { startTestStack } from "../../support/stack";
import { connectClickHouse } from "@pixel/lib/clickhouse/client";
import type { DropMessage } from "@pixel/lib/events/message";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { DROPPED_HITS } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { insertRows } from "@pixel/lib/clickhouse/insert";
import { TEST_DATABASES } from "../../setup/databases";
import { visitsOf } from "./visits";
import { launchBrowser } from "../../support/chromium";
import { eventRow } from "../../support/event-row";
import { testClickHouse } from "../../support/clickhouse";

const ADMIN_PASSWORD = "e2e-explore-password";
const DATABASE = TEST_DATABASES.dashboard;
/** The local ClickHouse runs at most three reads at a time on two cores, and a write alone, so an answer can wait behind the page's refreshes. */
const POLL = { timeout: 20_000 };
const XSS_PATH = "/<img src=x onerror=window.__xss=1>";
const DAY_MS = 86_400_000;
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;

/**
 * Today: visitors 101 (DE, Chrome, organic search, returning: / and /pricing), 102 (FR, Firefox, new: /), 103 (US, Safari,
 * new: /blog and /), 105 (US, Safari, type unknown: the XSS path). Yesterday: 104 (DE). Nine days ago: 106 and 107 (FR), the previous 7 days.
 */
function visits(siteId: string): EventRow[] {
  const { midnight, visit } = visitsOf(siteId);
  return [
    ...visit("101", ["/", "/pricing"], { country: "DE", browser: "Chrome", channel: "organic search", referrer_host: "google.com", visitor_type: "returning" }),
    ...visit("102", ["/"], { country: "FR", browser: "Firefox", visitor_type: "new" }),
    ...visit("103", ["/blog", "/"], { country: "US", browser: "Safari", visitor_type: "new" }),
    ...visit("105", [XSS_PATH], { country: "US", browser: "Safari" }),
    ...visit("104", ["/"], { country: "DE" }, () => midnight - 12 * 3_600_000),
    ...visit("106", ["/"], { country: "FR" }, () => midnight - 8.5 * DAY_MS),
    ...visit("107", ["/blog"], { country: "FR" }, () => midnight - 8.5 * DAY_MS + 60_000),
  ];
}

const drop = (siteId: string, daysAgo: number, reason: DropMessage["reason"], hits: number, detail = ""): DropMessage => ({
  kind: "drop",
  drop_id: crypto.randomUUID(),
  timestamp: Date.now() - daysAgo * DAY_MS,
  site_id: siteId,
  hostname: "localhost",
  reason,
  detail,
  hits,
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-explore-"));
  const clickHouse = testClickHouse(DATABASE);
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, clickHouse);
  const client = connectClickHouse(clickHouse);
  await insertEvents(client, visits(stack.siteId));
  await insertRows(client, DROPPED_HITS, [
    drop(stack.siteId, 0, "bot", 3, "user_agent"),
    drop(stack.siteId, 0, "bot", 2, "datacenter"),
    drop(stack.siteId, 0, "shield", 4, "country"),
    drop(stack.siteId, 1, "invalid", 1),
    // Outside the last 7 days.
    drop(stack.siteId, 20, "bot", 100, "user_agent"),
  ]);
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
const filtersOf = (page: Page) => new URL(page.url()).searchParams.getAll("f");
const values = (page: Page, card: string, testId = "breakdown-value") => page.getByTestId(`card-${card}`).getByTestId(testId).allTextContents();

async function signInAsAdmin() {
  const page = await browser.newPage();
  await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
  await page.waitForURL(`**/sites/${stack.siteId}?*`);
  await page.close();
}

async function overview(path = `/sites/${stack.siteId}?range=day`, context = browser): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.urls.dashboard}${path}`);
  await expect.poll(() => text(page, "stat-visitors"), { timeout: 30_000 }).toBe("4");
  return page;
}

async function apiSession(): Promise<string> {
  const response = await fetch(`${stack.urls.api}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.urls.api },
    body: JSON.stringify({ email: stack.admin.email, password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

describe("exploring the overview", () => {
  it("breaks visitors down into new and returning, and filters by a clicked type", async () => {
    const page = await overview();
    // new: 102 and 103, first by visitors; returning: 101; 105's type is unknown.
    await expect.poll(async () => (await values(page, "visitor-types"))[0], POLL).toBe("new");
    expect((await values(page, "visitor-types")).sort()).toEqual(["(not set)", "new", "returning"]);
    await page.getByTestId("card-visitor-types").locator('[data-testid="breakdown-value"][data-value="returning"]').click();
    await expect.poll(() => filtersOf(page), POLL).toEqual(["is,visit:visitor_type,returning"]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    expect(await page.getByTestId("filter-chip").allTextContents()).toEqual([expect.stringContaining("Visitor type is returning")]);
    await page.close();
  });

  it("filters every card by a clicked country row, through the URL", async () => {
    const page = await overview();
    await expect.poll(async () => (await values(page, "locations")).length, POLL).toBe(3);
    await page.getByTestId("card-locations").locator('[data-testid="breakdown-value"][data-value="DE"]').click();
    await expect.poll(() => filtersOf(page), POLL).toEqual(["is,visit:country,DE"]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    expect(await text(page, "stat-pageviews")).toBe("2");
    await expect.poll(async () => (await values(page, "pages", "top-page-path")).sort(), POLL).toEqual(["/", "/pricing"]);
    await expect.poll(() => values(page, "sources"), POLL).toEqual([expect.stringMatching(/organic search/i)]);
    await expect.poll(() => values(page, "devices"), POLL).toEqual(["Chrome"]);
    await expect.poll(() => values(page, "locations"), POLL).toEqual(["Germany"]);
    expect(await page.getByTestId("filter-chip").allTextContents()).toEqual([expect.stringContaining("Country is Germany")]);
    await shot(page, "explore-country-filter", { fullPage: true });
    await page.close();
  });

  it("shows the visited countries on the map, and a clicked country filters", async () => {
    const page = await overview();
    const map = page.getByTestId("country-map");
    await expect.poll(async () => (await map.getByTestId("map-country").evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute("data-code")))).sort(), POLL).toEqual(["DE", "FR", "US"]);
    expect(await map.locator('[data-code="US"]').getAttribute("aria-label")).toMatch(/^United States: 2 visitors$/);
    expect(await map.locator('[data-code="DE"]').getAttribute("aria-label")).toBe("Germany: 1 visitor");
    expect(await map.locator('[data-code="BR"]').getAttribute("aria-hidden")).toBe("true");
    await shot(map, "explore-map");
    await map.locator('[data-code="FR"]').click();
    await expect.poll(() => filtersOf(page), POLL).toEqual(["is,visit:country,FR"]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    await expect.poll(async () => (await values(page, "pages", "top-page-path")).sort(), POLL).toEqual(["/"]);
    await page.close();
  });

  it("adds, checks and edits a filter in the advanced editor", async () => {
    const page = await overview();
    await page.getByTestId("add-filter").click();
    const editor = page.getByTestId("filter-editor");
    await editor.getByTestId("filter-dimension").selectOption("event:page");
    await editor.getByTestId("filter-operator").selectOption("matches");
    await editor.getByTestId("filter-value").fill("(pric");
    await editor.getByTestId("filter-save").click();
    await expect.poll(() => editor.getByTestId("filter-error").textContent(), POLL).toContain("not a valid regular expression");
    expect(filtersOf(page)).toEqual([]);

    await editor.getByTestId("filter-operator").selectOption("contains");
    await editor.getByTestId("filter-value").fill("pric");
    await shot(page, "explore-filter-editor");
    await editor.getByTestId("filter-save").click();
    await expect.poll(() => filtersOf(page), POLL).toEqual(["contains,event:page,pric"]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    await expect.poll(() => values(page, "devices"), POLL).toEqual(["Chrome"]);

    // Editing the chip: a second value widens it to the blog readers.
    await page.getByTestId("edit-filter").click();
    await editor.getByTestId("filter-add-value").click();
    await editor.getByTestId("filter-value").nth(1).fill("blog");
    await editor.getByTestId("filter-save").click();
    await expect.poll(() => filtersOf(page), POLL).toEqual(["contains,event:page,pric,blog"]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("2");
    await expect.poll(async () => (await values(page, "devices")).sort(), POLL).toEqual(["Chrome", "Safari"]);
    expect(await page.getByTestId("filter-chip").count()).toBe(1);
    await page.close();
  });

  it("changes the date range and the comparison", async () => {
    const page = await overview();
    await page.getByTestId("range-select").selectOption("7d");
    await expect.poll(() => new URL(page.url()).searchParams.get("range"), POLL).toBe("7d");
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("5");
    await page.getByTestId("compare-select").selectOption("previous_period");
    await expect.poll(() => new URL(page.url()).searchParams.get("compare"), POLL).toBe("previous");
    // 5 visitors against the 2 of the 7 days before.
    await expect.poll(() => text(page, "change-visitors"), POLL).toBe("↑150%");
    expect(await text(page, "stat-visitors")).toBe("5");
    await page.getByTestId("chart").locator("canvas").first().waitFor();
    await shot(page, "explore-compare", { fullPage: true });
    await page.getByTestId("range-select").selectOption("30d");
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("7");
    expect(new URL(page.url()).searchParams.get("compare")).toBe("previous");
    await page.close();
  });

  it("renders a stored XSS page path as text", async () => {
    const page = await overview();
    await expect.poll(() => values(page, "pages", "top-page-path"), POLL).toContain(XSS_PATH);
    await page.getByTestId("top-page-path").filter({ hasText: XSS_PATH }).click();
    await expect.poll(() => page.getByTestId("filter-chip").allTextContents(), POLL).toEqual([expect.stringContaining(XSS_PATH)]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    await page.getByTestId("edit-filter").click();
    expect(await page.getByTestId("filter-value").inputValue()).toBe(XSS_PATH);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot(page, "explore-xss");
    await page.close();
  });
});

describe("a share link", () => {
  it("shows the overview without a session, filters through its own URL, and explains a bad token", async () => {
    const made = await fetch(`${stack.urls.api}/api/sites/${stack.siteId}/share`, { method: "POST", headers: { cookie: await apiSession(), origin: stack.urls.api } });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    const anonymous = await launchBrowser();
    try {
      const page = await overview(`/share/${token}?range=day`, anonymous);
      expect(await page.context().cookies()).toEqual([]);
      expect(await text(page, "stat-pageviews")).toBe("6");
      expect(await text(page, "share-badge")).toContain("read-only");
      expect(await page.getByTestId("logout").count()).toBe(0);
      expect(await page.getByTestId("nav-settings").count()).toBe(0);
      await page.getByTestId("card-locations").locator('[data-testid="breakdown-value"][data-value="US"]').click();
      await expect.poll(() => new URL(page.url()).pathname, POLL).toBe(`/share/${token}`);
      expect(filtersOf(page)).toEqual(["is,visit:country,US"]);
      await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("2");
      await shot(page, "explore-share", { fullPage: true });

      await page.goto(`${stack.urls.dashboard}/share/pxs_not_a_real_token`);
      await expect.poll(() => page.getByTestId("share-invalid").isVisible(), POLL).toBe(true);
      expect(await page.getByTestId("stat-visitors").count()).toBe(0);
      await shot(page, "explore-share-invalid");
    } finally {
      await anonymous.close();
    }
  });
});

describe("dropped hits", () => {
  it("counts what was inserted, per reason and per day", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/drops?range=7d`);
    await expect.poll(() => text(page, "drops-total"), { timeout: 30_000 }).toBe("10");
    const hits = async (reason: string) => page.locator(`[data-testid="drops-reason"][data-reason="${reason}"] [data-testid="drops-reason-hits"]`).textContent();
    expect(await hits("bot")).toBe("5");
    expect(await hits("shield")).toBe("4");
    expect(await hits("invalid")).toBe("1");
    expect(await hits("too_large")).toBe("0");
    const today = new Date().toISOString().slice(0, 10);
    expect(await page.locator(`[data-testid="drops-day"][data-day="${today}"] [data-testid="drops-day-total"]`).textContent()).toBe("9");
    await shot(page, "explore-drops", { fullPage: true });
    await page.getByTestId("drops-range").selectOption("30d");
    await expect.poll(() => text(page, "drops-total"), POLL).toBe("110");
    await page.close();
  });
});

describe("realtime", () => {
  it("shows a hit sent through the collector during the test", async () => {
    const page = await overview();
    const realtime = page.getByTestId("realtime");
    await expect.poll(() => realtime.getByTestId("realtime-30").textContent(), POLL).toMatch(/^\d+$/);
    expect(await realtime.getByTestId("current-page-path").allTextContents()).not.toContain("/pricing.html");

    const visit = await browser.newPage();
    // pixel.js loads async: wait for its pageview to reach the collector before leaving.
    // pixel.js ignores automated browsers unless a test says otherwise.
    await visit.addInitScript(() => Object.assign(window, { __pixel_test: true }));
    const sent = visit.waitForResponse((response) => response.url().includes("/telemetry/") && response.request().method() === "POST");
    await visit.goto(`${stack.urls.demo}/pricing.html`);
    expect((await sent).status()).toBeLessThan(300);
    await visit.goto("about:blank");
    await visit.close();

    await expect.poll(() => realtime.getByTestId("current-page-path").allTextContents(), { timeout: 60_000 }).toContain("/pricing.html");
    expect(Number(await realtime.getByTestId("realtime-5").textContent())).toBeGreaterThanOrEqual(1);
    await shot(page, "explore-realtime", { fullPage: true });
    await page.close();
  });
});

describe("the reports people look for first", () => {
  it("lists outbound links and file downloads by URL, and the pages marked 404", async () => {
    // Yesterday, so that today's counts in the other tests stay as they are.
    const { midnight, visit } = visitsOf(stack.siteId);
    let step = 0;
    const yesterday = () => midnight - 6 * 3_600_000 + step++ * 1000;
    const client = connectClickHouse(testClickHouse(DATABASE));
    await insertEvents(client, [
      ...visit("201", ["/"], { name: "outbound", props: { url: "https://example.org/a" } }, yesterday),
      ...visit("202", ["/", "/"], { name: "outbound", props: { url: "https://example.org/a" } }, yesterday),
      ...visit("202", ["/docs"], { name: "download", props: { url: "https://cdn.test/guide.pdf" } }, yesterday),
      ...visit("203", ["/old-page"], { name: "404" }, yesterday),
    ]);
    await client.close();
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=7d&goals=outbound`);
    const rows = () => values(page, "goals");
    await expect.poll(rows, { timeout: 30_000 }).toEqual(["https://example.org/a"]);
    // Visitors 201 and 202 clicked it, 202 twice: 2 visitors, 3 events.
    expect(await page.getByTestId("card-goals").locator("tbody td.num").allTextContents()).toEqual(["2", "3"]);
    await page.locator("#tab-downloads").click();
    await expect.poll(rows, POLL).toEqual(["https://cdn.test/guide.pdf"]);
    await page.locator("#tab-not_found").click();
    await expect.poll(() => values(page, "goals", "top-page-path"), POLL).toEqual(["/old-page"]);
    await page.close();
  });
});

describe("saved segments", () => {
  it("saves the filters as a segment, applies it from the filter bar and keeps it in the URL", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => text(page, "stat-visitors"), { timeout: 30_000 }).toMatch(/^\d+$/);
    // The earlier tests add today's visitors of their own; only visitor 102 uses Firefox.
    const everyone = await text(page, "stat-visitors");
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day&f=is,visit:browser,Firefox`);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    await page.getByTestId("save-segment").click();
    await page.getByTestId("segment-name").fill("Firefox users");
    await page.getByTestId("segment-submit").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("segment"), POLL).toMatch(/^\d+$/);
    expect(filtersOf(page)).toEqual([]);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    const picker = page.getByTestId("segment");
    expect(await picker.locator("option:checked").textContent()).toBe("Firefox users");
    const segmentUrl = page.url();

    await picker.selectOption({ label: "All visitors" });
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe(everyone);
    expect(new URL(page.url()).searchParams.get("segment")).toBeNull();
    await page.goto(segmentUrl);
    await expect.poll(() => text(page, "stat-visitors"), POLL).toBe("1");
    await page.close();
  });

  it("shows the API's refusal in the segment form and keeps the filters, e.g. a name already in use", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day&f=is,visit:browser,Chrome`);
    await page.getByTestId("save-segment").click();
    await page.getByTestId("segment-name").fill("Firefox users");
    await page.getByTestId("segment-shared").check();
    await page.getByTestId("segment-submit").click();
    await expect.poll(() => page.getByTestId("segment-error").textContent(), POLL).toBe(
      'A segment named "Firefox users" already exists on this site; choose another name.',
    );
    expect(new URL(page.url()).searchParams.get("segment")).toBeNull();
    expect(filtersOf(page)).toEqual(["is,visit:browser,Chrome"]);
    await page.getByTestId("segment-name").fill("Chrome users");
    await page.getByTestId("segment-submit").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("segment"), POLL).toMatch(/^\d+$/);
    await expect.poll(() => page.getByTestId("segment").locator("option:checked").textContent(), POLL).toBe("Chrome users");
    await page.close();
  });
});

describe("revenue goals", () => {
  it("an admin gives a goal a currency; the Goals card and its full list then show its revenue in that currency", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/goals`);
    await page.getByTestId("goal-target").fill("purchase");
    await page.getByTestId("goal-display").fill("Purchase");
    await page.getByTestId("goal-currency").fill("e1");
    await page.getByTestId("create-goal").click();
    await expect.poll(() => page.locator("#goal-currency-error").textContent(), POLL).toBe("The currency must be an ISO 4217 code, three capital letters (EUR, USD).");
    await page.getByTestId("goal-currency").fill("eur");
    await page.getByTestId("create-goal").click();
    await expect.poll(() => page.getByTestId("goal-row").filter({ hasText: "Purchase" }).textContent(), POLL).toContain("revenue in EUR");
    await page.getByTestId("goal-target").fill("signup");
    await page.getByTestId("create-goal").click();
    await expect.poll(() => page.getByTestId("goal-name").allTextContents(), POLL).toContain("signup");

    // Yesterday, so that today's counts in the other tests stay as they are.
    const { midnight, visit } = visitsOf(stack.siteId);
    let step = 0;
    const yesterday = () => midnight - 5 * 3_600_000 + step++ * 1000;
    const purchase = (amount: string) => ({ name: "purchase", revenue_amount: amount, revenue_currency: "EUR" });
    const client = connectClickHouse(testClickHouse(DATABASE));
    await insertEvents(client, [
      ...visit("301", ["/checkout"], purchase("19.99"), yesterday),
      ...visit("302", ["/checkout"], purchase("5.01"), yesterday),
      ...visit("303", ["/welcome"], { name: "signup" }, yesterday),
    ]);
    await client.close();

    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=7d`);
    const card = page.getByTestId("card-goals");
    await expect.poll(() => card.locator("thead th").allTextContents(), { timeout: 30_000 }).toEqual(["Goal", "Visitors", "Conversion rate", "Revenue", "Average revenue"]);
    const cells = (goal: string) => card.locator("tbody tr").filter({ hasText: goal }).locator("td.num").allTextContents();
    await expect.poll(() => cells("Purchase"), POLL).toEqual([expect.any(String), expect.any(String), "€25.00", "€12.50"]);
    expect((await cells("signup")).slice(2)).toEqual(["—", "—"]);
    await shot(page, "explore-revenue-goals", { fullPage: true });

    await card.getByRole("button", { name: /Details/ }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.locator("tbody tr").filter({ hasText: "Purchase" }).locator("td.num").allTextContents(), POLL).toEqual([
      "2",
      "2",
      expect.any(String),
      "€25.00",
      "€12.50",
    ]);
    await page.close();
  });
});
