import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { signIn } from "../../support/sign-in";
import { seededDashboard } from "../../support/stack";
import { visitsOf } from "./visits";
import { SEEN_AHEAD_PX } from "@pixel/pages/dashboard/src/components/seen";

const ADMIN_PASSWORD = "e2e-page-reports-password";
/** The local ClickHouse runs at most three reads at a time on two cores. */
const POLL = { timeout: 20_000 };
let stack: Stack;
let browser: BrowserContext;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // Three visits of /docs that scrolled to 40 %, 95 % and 100 %; two sign up, on the free and the pro plan.
  ({ stack, browser, stop } = await seededDashboard("page-reports", ADMIN_PASSWORD, (siteId) => {
    const { visit } = visitsOf(siteId);
    const read = (visitor: string, scroll_depth: number) => [
      ...visit(visitor, ["/docs"]),
      ...visit(visitor, ["/docs"], { name: "engagement", scroll_depth, engaged_ms: 5000 }),
    ];
    return [
      ...read("401", 40),
      ...visit("401", ["/docs"], { name: "Signup", props: { plan: "free" } }),
      ...read("402", 95),
      ...visit("402", ["/docs"], { name: "Signup", props: { plan: "pro" } }),
      ...read("403", 100),
    ];
  }));
});

afterAll(() => stop?.());

describe("the properties card and the scroll depth distribution", () => {
  it("asks for the properties only once the card nears the viewport, then shows a property's values with visitors, events and share, and filters the dashboard by one", async () => {
    const page = await browser.newPage();
    const asked: string[] = [];
    page.on("request", (request) => void (new URL(request.url()).pathname === "/api/v2/property-keys" && asked.push(request.url())));
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.waitForURL(`**/sites/${stack.siteId}?*`);
    await expect.poll(() => page.getByTestId("card-pages").locator("tbody tr").count(), POLL).toBeGreaterThan(0);
    const card = page.getByTestId("card-properties");
    expect((await card.boundingBox())!.y).toBeGreaterThan(page.viewportSize()!.height + SEEN_AHEAD_PX);
    expect(asked).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await expect.poll(() => card.getByTestId("property-key").inputValue(), POLL).toBe("plan");
    const values = card.getByTestId("property-value");
    await expect.poll(() => values.allTextContents(), POLL).toEqual(["(not set)", "free", "pro"]);
    const rows = await card.locator("tbody tr").allTextContents();
    expect(rows[1]).toContain("33%");
    expect(asked).toHaveLength(1);

    await values.filter({ hasText: "pro" }).click();
    await page.waitForURL(/f=is,event:props:plan,pro/);
    expect(await page.getByTestId("filter-chip").allTextContents()).toEqual([expect.stringContaining("plan is pro")]);
    await expect.poll(() => values.allTextContents(), POLL).toEqual(["pro"]);
    await page.close();
  });

  it("asks nothing for a property named in the URL until the card nears the viewport", async () => {
    const page = await browser.newPage(); // signed in already: the browser context keeps the session
    const asked: string[] = [];
    page.on("request", (request) => {
      const body = request.postData() ?? "";
      if (body.includes("event:props:plan") || new URL(request.url()).pathname === "/api/v2/property-keys") asked.push(body);
    });
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?property=plan`);
    await expect.poll(() => page.getByTestId("card-pages").locator("tbody tr").count(), POLL).toBeGreaterThan(0);
    expect(asked).toEqual([]);
    await page.getByTestId("card-properties").scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId("property-value").allTextContents(), POLL).toEqual(["(not set)", "free", "pro"]);
    expect(asked.length).toBeGreaterThan(0);
    await page.close();
  });

  it("opens a page's scroll depth distribution from the pages' scroll depth", async () => {
    const page = await browser.newPage(); // signed in already: the browser context keeps the session
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}`);
    await page.getByTestId("card-pages").getByRole("button", { name: /Details/ }).click();
    const details = page.getByTestId("details-dialog");
    await details.getByTestId("scroll_depth-pick").first().click();
    await page.waitForURL(/scroll=\/docs/);
    const dialog = page.getByTestId("scroll-depth-dialog");
    await expect.poll(() => dialog.getByTestId("scroll-depth-visits").textContent(), POLL).toContain("3 visits");
    const shares = await dialog.getByTestId("scroll-depth-share").allTextContents();
    expect(shares).toEqual(["0%", "0%", "0%", "0%", "33%", "0%", "0%", "0%", "0%", "67%"]);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => page.url(), POLL).not.toContain("scroll=");
    await page.close();
  });
});
