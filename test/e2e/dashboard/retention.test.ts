import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { dayOfNumber, localDayNumber } from "@pixel/lib/time";
import { shot } from "../../support/screenshots";
import { signIn } from "../../support/sign-in";
import { seededDashboard } from "../../support/stack";
import { visitsOf } from "./visits";

const ADMIN_PASSWORD = "e2e-retention-password";
const POLL = { timeout: 30_000 };
const DAY_MS = 86_400_000;
/** The test site is in UTC: its days are UTC days. */
const today = localDayNumber(Date.now(), "UTC");

let stack: Stack;
let browser: BrowserContext;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, browser, stop } = await seededDashboard("retention", ADMIN_PASSWORD, (siteId) => {
    const { visit } = visitsOf(siteId);
    const daysAgo = (days: number) => () => (today - days) * DAY_MS + 12 * 3_600_000;
    const eightDaysAgo = daysAgo(8);
    // Eight days ago two browsers came for the first time: 400 (the Chromium below, back today) and 402 (never back).
    // Signed-in users (their hits without visit days, so in no browser cohort): ann first eight days ago and back today
    // on another device, bob first then and never back, cy first before the range and back then, dee first today.
    return [
      ...visit("400", ["/"], { first_visit: today - 8 }, eightDaysAgo),
      ...visit("402", ["/", "/pricing"], { first_visit: today - 8 }, eightDaysAgo),
      ...visit("500", ["/"], { user_id: "ann" }, eightDaysAgo),
      ...visit("501", ["/account"], { user_id: "ann" }),
      ...visit("502", ["/"], { user_id: "bob" }, eightDaysAgo),
      ...visit("503", ["/"], { user_id: "cy" }, daysAgo(40)),
      ...visit("504", ["/"], { user_id: "cy" }, eightDaysAgo),
      ...visit("505", ["/"], { user_id: "dee" }),
    ];
  }));
});

afterAll(() => stop?.());

/** A page of the demo site in real Chromium; `etag` stands in for the pixel.js its cache kept from an earlier day. */
async function loadDemoPage(etag?: string) {
  const page = await browser.newPage();
  await page.addInitScript(() => Object.assign(window, { __pixel_test: true }));
  const etags: string[] = [];
  await page.route("**/telemetry/pixel.js", (route) => route.continue({ headers: { ...route.request().headers(), ...(etag && { "if-none-match": etag }) } }));
  page.on("response", (response) => void (response.url().endsWith("/telemetry/pixel.js") && etags.push(response.headers().etag ?? "")));
  const sent = page.waitForResponse((response) => response.url().includes("/telemetry/") && response.request().method() === "POST");
  await page.goto(`${stack.urls.demo}/`);
  expect((await sent).status()).toBeLessThan(300);
  await page.goto("about:blank");
  await page.close();
  return etags;
}

describe("retention page", () => {
  it("places a browser back after eight days in its cohort's eighth day, and a new one in today's cohort", async () => {
    // pixel.js's ETag from eight days ago, as the browser's cache would echo it: first seen then, last seen a day later.
    const back = await loadDemoPage(`"cached-br.d${today - 8}-${today - 7}"`);
    expect(back[0]).toMatch(new RegExp(`\\.d${today - 8}-${today}"$`));
    const fresh = await loadDemoPage();
    expect(fresh[0]).toMatch(new RegExp(`\\.d${today}-${today}"$`));

    const page = await browser.newPage();
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.waitForURL(`**/sites/${stack.siteId}?*`);
    await page.getByTestId("nav-retention").click();
    await page.waitForURL(`**/sites/${stack.siteId}/retention*`);
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/retention?range=30d`);
    await page.getByTestId("retention-period").filter({ hasText: "By day" }).click();
    const cohort = (day: number) => page.getByTestId("retention-cohort").filter({ has: page.getByRole("rowheader", { name: dayOfNumber(day), exact: true }) });
    const cells = (day: number) => cohort(day).getByTestId("retention-cell").allTextContents();
    await expect.poll(() => cells(today), POLL).toEqual(["100%"]);
    expect(await cohort(today).getByTestId("retention-size").textContent()).toBe("1");
    await expect.poll(async () => (await cells(today - 8))[8], POLL).toBe("50%");
    expect(await cohort(today - 8).getByTestId("retention-size").textContent()).toBe("2");
    expect((await cells(today - 8)).slice(0, 8)).toEqual(["100%", "0%", "0%", "0%", "0%", "0%", "0%", "0%"]);
    await shot(page, "retention", { fullPage: true });
    await page.close();
  });

  it("switches to signed-in users, kept in the URL: user cohorts by the first event with their user_id", async () => {
    await browser.clearCookies(); // signed out, whichever test ran before
    const page = await browser.newPage();
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/retention?range=30d`);
    await page.getByTestId("retention-unit").filter({ hasText: "Signed-in users" }).click();
    await page.waitForURL(/[?&]unit=user/);
    expect(new URL(page.url()).searchParams.get("range")).toBe("30d");
    await page.getByTestId("retention-period").filter({ hasText: "By day" }).click();
    const cohort = (day: number) => page.getByTestId("retention-cohort").filter({ has: page.getByRole("rowheader", { name: dayOfNumber(day), exact: true }) });
    const cells = (day: number) => cohort(day).getByTestId("retention-cell").allTextContents();
    await expect.poll(async () => (await cells(today - 8))[8], POLL).toBe("50%");
    expect(await cohort(today - 8).getByTestId("retention-size").textContent()).toBe("2");
    expect(await cohort(today).getByTestId("retention-size").textContent()).toBe("1");
    expect(await page.getByRole("columnheader").allTextContents()).toContain("Users");
    await shot(page, "retention-users", { fullPage: true });

    // Opened from its URL (by week, as the page opens), it shows the users again: ann, bob and dee, not cy.
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/retention?range=30d&unit=user`);
    expect(await page.getByTestId("retention-unit").filter({ hasText: "Signed-in users" }).getAttribute("aria-pressed")).toBe("true");
    const sizes = async () => (await page.getByTestId("retention-size").allTextContents()).reduce((sum, size) => sum + Number(size), 0);
    await expect.poll(sizes, POLL).toBe(3);
    // A range without any shows how to set user ids.
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/retention?range=custom&from=2020-01-01&to=2020-01-31&unit=user`);
    await expect.poll(() => page.getByTestId("retention-no-users").textContent(), POLL).toContain('_pixel.push(["setUserId", id])');
    await page.close();
  });
});
