import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { signIn } from "../../support/sign-in";
import { seededDashboard } from "../../support/stack";
import { DEFAULT_VIEW, viewSearch } from "@pixel/pages/dashboard/src/view";
import { visitsOf } from "./visits";

const ADMIN_PASSWORD = "e2e-funnels-password";
/** The local ClickHouse runs at most three reads at a time on two cores. */
const POLL = { timeout: 20_000 };
let stack: Stack;
let browser: BrowserContext;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  // 301 takes every step; 302 stops after the first; 303 sees /pricing before / (out of order); 304 reads /about after /.
  ({ stack, browser, stop } = await seededDashboard("funnels", ADMIN_PASSWORD, (siteId) => {
    const { visit } = visitsOf(siteId);
    return [
      ...visit("301", ["/", "/pricing"]),
      ...visit("301", ["/pricing"], { name: "signup", props: { plan: "pro" } }),
      ...visit("302", ["/"], { browser: "Firefox" }),
      ...visit("303", ["/pricing", "/"]),
      ...visit("304", ["/", "/about"]),
    ];
  }));
});

afterAll(() => stop?.());

describe("funnels page", () => {
  it("defines a funnel and shows each step's visitors and drop-off", async () => {
    const page = await browser.newPage();
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.waitForURL(`**/sites/${stack.siteId}?*`);
    await page.getByTestId("nav-funnels").click();
    await page.waitForURL(`**/sites/${stack.siteId}/funnels*`);
    await page.locator('[data-testid="funnel-form"] input[name="name"]').fill("Pro signup");
    await page.locator('[data-testid="funnel-form"] textarea[name="steps"]').fill("/\n/pricing*\nsignup plan=pro");
    await page.locator('[data-testid="funnel-form"] button[type="submit"]').click();
    const visitors = page.getByTestId("funnel-step-visitors");
    await expect.poll(() => visitors.allTextContents(), POLL).toEqual(["4", "1", "1"]);
    expect(await page.getByTestId("funnel-step-drop-off").allTextContents()).toEqual(["3 dropped off", "0 dropped off"]);
    expect(await page.getByTestId("funnel-conversion").textContent()).toBe("Conversion: 25%");

    // The first step's drop-off opens where those visitors went next: two left, one read /about.
    await page.getByTestId("funnel-step-drop-off").first().click();
    const nextPages = page.getByTestId("funnel-next-page");
    await expect.poll(() => nextPages.allTextContents(), POLL).toEqual(["(left the site) 2 visitors", "/about 1 visitors"]);

    await page.locator('[data-testid="funnel-form"] input[name="name"]').fill("Too short");
    await page.locator('[data-testid="funnel-form"] textarea[name="steps"]').fill("/");
    await page.locator('[data-testid="funnel-form"] button[type="submit"]').click();
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toContain("2 to 8 steps");

    // The overview's filters apply: of the Firefox visitors, one reached the first step and went no further.
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/funnels${viewSearch({ ...DEFAULT_VIEW, filters: [["is", "visit:browser", ["Firefox"]]] })}`);
    await expect.poll(() => visitors.allTextContents(), POLL).toEqual(["1", "0", "0"]);
    await page.close();
  });
});
