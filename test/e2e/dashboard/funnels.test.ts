import { describe, expect, it } from "vitest";
import { insertEvents } from "../../../lib/clickhouse/tables/events";
import { signIn } from "../../support/sign-in";
import { DEFAULT_VIEW, viewSearch } from "../../../pages/dashboard/src/view";
import { useDashboardStack } from "./stack-hooks";
import { visitsOf } from "./visits";

const ADMIN_PASSWORD = "e2e-funnels-password";
/** The local ClickHouse answers one query at a time. */
const POLL = { timeout: 20_000 };

const hooks = useDashboardStack("funnels", ADMIN_PASSWORD, (stack, client) => {
  const { visit } = visitsOf(stack.siteId);
  // 301 takes every step; 302 stops after the first; 303 sees /pricing before / (out of order).
  return insertEvents(client, [
    ...visit("301", ["/", "/pricing"]),
    ...visit("301", ["/pricing"], { name: "signup", props: { plan: "pro" } }),
    ...visit("302", ["/"], { browser: "Firefox" }),
    ...visit("303", ["/pricing", "/"]),
  ]);
});

describe("funnels page", () => {
  it("defines a funnel and shows each step's visitors and drop-off", async () => {
    const [stack, browser] = [hooks.stack(), hooks.browser()];
    const page = await browser.newPage();
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.waitForURL(`**/sites/${stack.siteId}?*`);
    await page.getByTestId("nav-funnels").click();
    await page.waitForURL(`**/sites/${stack.siteId}/funnels*`);
    await page.locator('[data-testid="funnel-form"] input[name="name"]').fill("Pro signup");
    await page.locator('[data-testid="funnel-form"] textarea[name="steps"]').fill("/\n/pricing*\nsignup plan=pro");
    await page.locator('[data-testid="funnel-form"] button[type="submit"]').click();
    const visitors = page.getByTestId("funnel-step-visitors");
    await expect.poll(() => visitors.allTextContents(), POLL).toEqual(["3", "1", "1"]);
    expect(await page.getByTestId("funnel-step-drop-off").allTextContents()).toEqual(["2 dropped off", "0 dropped off"]);
    expect(await page.getByTestId("funnel-conversion").textContent()).toBe("Conversion: 33.33%");

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
