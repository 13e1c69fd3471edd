import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { signIn } from "../../support/sign-in";
import { startTestStack } from "../../support/stack";
import { TEST_DATABASES } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";
import { sentTo } from "../../support/mailbox";
import { linkIn, parseMessage } from "../../support/mime";

const ADMIN_PASSWORD = "e2e-admin-email-password";
/** The reset test sets it; the tests after it sign in with it. */
const NEW_ADMIN_PASSWORD = "the admin's new password";
const POLL = { timeout: 15_000 };
const run = crypto.randomUUID().slice(0, 8);
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-email-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, testClickHouse(TEST_DATABASES.dashboard));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The link of the newest message to the address, once Miniflare has written it. */
async function mailedLink(address: string, prefix: string): Promise<string> {
  await expect.poll(async () => (await sentTo(address)).length, POLL).toBeGreaterThan(0);
  return linkIn(parseMessage((await sentTo(address)).at(-1)!), prefix);
}


describe("e-mail in the dashboard", () => {
  it("invites a colleague by e-mail, who sets a password and lands on the site", async () => {
    const invitee = `colleague-${run}@e2e.test`;
    const page = await browser.newPage();
    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await page.waitForURL(`**/sites/${stack.siteId}?*`);
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/members`);
    await page.getByTestId("invite-email").fill(invitee);
    await page.getByTestId("invite-role").selectOption("viewer");
    await page.getByTestId("invite-submit").click();
    await expect.poll(() => page.getByTestId("invitation-row").allTextContents(), POLL).toEqual([expect.stringContaining(invitee)]);

    const link = await mailedLink(invitee, `${stack.urls.dashboard}/invitation#pxi_`);
    await browser.clearCookies();
    await page.goto(link);
    await expect.poll(() => page.getByTestId("invitation-intro").textContent(), POLL).toBe(`You are invited as viewer. Your account will be ${invitee}.`);
    await page.getByTestId("invitation-name").fill("Colleague");
    await page.getByTestId("invitation-password").fill("colleague-password");
    await page.getByTestId("public-submit").click();
    await page.waitForURL(`**/sites/${stack.siteId}*`, POLL);
    expect(await page.getByTestId("login-email").count()).toBe(0);

    await browser.clearCookies();
    await page.goto(link);
    await expect.poll(() => page.getByTestId("invitation-status").textContent(), POLL).toMatch(/already used, revoked or expired/);
    await page.close();
  });

  it("resets a forgotten password from the sign-in page through the e-mailed link", async () => {
    const page = await browser.newPage();
    await browser.clearCookies();
    await page.goto(`${stack.urls.dashboard}/login`);
    await page.getByTestId("forgot-password").click();
    await page.getByTestId("forgot-email").fill(stack.admin.email);
    await page.getByTestId("public-submit").click();
    await expect.poll(() => page.getByTestId("public-done").textContent(), POLL).toMatch(/^If this address has a Pixel account, a link/);

    const link = await mailedLink(stack.admin.email, `${stack.urls.dashboard}/reset-password#pxr_`);
    await page.goto(link);
    await page.getByTestId("reset-password").fill(NEW_ADMIN_PASSWORD);
    await page.getByTestId("public-submit").click();
    await expect.poll(() => page.getByTestId("public-done").textContent(), POLL).toMatch(/^Your password is changed/);

    await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId("login-error").textContent(), POLL).toBe("wrong e-mail or password");
    await signIn(page, stack.urls.dashboard, stack.admin.email, NEW_ADMIN_PASSWORD);
    await page.waitForURL(`**/sites/${stack.siteId}?*`, POLL);
    await page.close();
  });

  it("chooses reports and alerts in the site's E-mails settings", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/email`);
    await page.getByTestId("report-weekly").check();
    await page.getByTestId("save-reports").click();
    await expect.poll(() => page.getByTestId("reports-saved").textContent(), POLL).toBe("Saved.");
    await page.getByTestId("alert-spike").fill("50");
    await page.getByTestId("alert-webhook").fill("http://hooks.example/x");
    await page.getByTestId("save-alerts").click();
    await expect.poll(() => page.getByTestId("alerts-error").textContent(), POLL).toContain("The webhook must be an https:// URL.");
    await page.getByTestId("alert-webhook").fill("");
    await page.getByTestId("save-alerts").click();
    await expect.poll(() => page.getByTestId("alerts-saved").textContent(), POLL).toBe("Saved.");

    await page.reload();
    await expect.poll(() => page.getByTestId("report-weekly").isChecked(), POLL).toBe(true);
    expect(await page.getByTestId("report-monthly").isChecked()).toBe(false);
    expect(await page.getByTestId("alert-spike").inputValue()).toBe("50");
    await page.close();
  });
});
