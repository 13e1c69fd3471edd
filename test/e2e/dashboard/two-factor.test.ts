import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { stepAt, totpAt } from "@pixel/workers/api/src/auth/totp";
import { TEST_DATABASES } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";
import { startTestStack } from "../../support/stack";

const ADMIN_PASSWORD = "e2e-two-factor-admin-password";
const ENROLS = { email: "enrols@e2e.test", password: "enrols-e2e-password" };
const REQUIRED = { email: "required@e2e.test", password: "required-e2e-password" };
const POLL = { timeout: 15_000 };
let stack: Stack;
let dataDir: string;
let adminCookie: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-two-factor-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, testClickHouse(TEST_DATABASES.dashboard));
  adminCookie = (await callApi("POST", "/api/auth/login", {}, { email: stack.admin.email, password: ADMIN_PASSWORD })).cookie;
  for (const account of [ENROLS, REQUIRED]) expect((await callApi("POST", "/api/users", { cookie: adminCookie }, account)).status).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function callApi(method: string, path: string, auth: { cookie?: string }, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: stack.urls.api };
  if (auth.cookie) headers.cookie = auth.cookie;
  const response = await fetch(`${stack.urls.api}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, cookie: response.headers.get("set-cookie")?.split(";")[0] ?? "" };
}

/** Signs in with the password. `beforeSubmit` are the scripts the login page loaded; `scripts` goes on filling. */
async function passwordStep(page: Page, account: { email: string; password: string }) {
  const scripts: string[] = [];
  page.on("request", (request) => request.resourceType() === "script" && scripts.push(request.url()));
  await page.goto(`${stack.urls.dashboard}/login`);
  await page.getByTestId("login-email").fill(account.email);
  await page.getByTestId("login-password").fill(account.password);
  const beforeSubmit = [...scripts];
  await page.getByTestId("login-submit").click();
  return { beforeSubmit, scripts };
}

/** Reads the key off the set-up form, as a person types it into an app, and answers with the app's code. */
async function enrol(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.getByTestId("two-factor-setup").waitFor(POLL);
  const secret = await page.getByTestId("two-factor-secret").inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(await page.locator('[data-testid="two-factor-qr"] path').getAttribute("d")).toMatch(/^M\d+ \d+h1v1h-1z/);
  await page.getByTestId("two-factor-first-code").fill((await totpAt(secret, Date.now())) === "000000" ? "111111" : "000000");
  await page.getByTestId("two-factor-confirm").click();
  await expect.poll(() => page.getByTestId("two-factor-setup-error").textContent(), POLL).toMatch(/^Wrong or already used code\. Correct it/);
  await page.getByTestId("two-factor-first-code").fill(await totpAt(secret, Date.now()));
  await page.getByTestId("two-factor-confirm").click();
  await page.getByTestId("recovery-codes").waitFor(POLL);
  const recoveryCodes = await page.locator('[data-testid="recovery-codes"] li').allTextContents();
  await page.getByTestId("recovery-codes-saved").click();
  return { secret, recoveryCodes };
}

describe("two-factor sign-in in the dashboard", () => {
  /** A browser of its own for each test: no session carries over. */
  let browser: BrowserContext;
  beforeEach(async () => {
    browser = await launchBrowser();
  });
  afterEach(() => browser?.close());

  it("enrols an authenticator under Account, then signs out and back in with the app's code", async () => {
    const page = await browser.newPage();
    await passwordStep(page, ENROLS);
    await page.waitForURL("**/sites/new", POLL);
    await page.goto(`${stack.urls.dashboard}/account`);
    await page.getByTestId("two-factor-start").click();
    const { secret, recoveryCodes } = await enrol(page);
    expect(recoveryCodes).toHaveLength(10);
    await expect.poll(() => page.getByTestId("two-factor-state").textContent(), POLL).toContain("10 recovery codes left");

    await page.getByTestId("logout").click();
    await page.waitForURL("**/login", POLL);
    await passwordStep(page, ENROLS);
    await page.getByTestId("login-code").waitFor(POLL);
    const signInStep = stepAt(Date.now() + 30_000);
    await page.getByTestId("login-code").fill(await totpAt(secret, signInStep * 30_000));
    await page.getByTestId("login-code-submit").click();
    await page.waitForURL("**/sites/new", POLL);

    // New recovery codes take a code of a later step than the sign-in's: wait for the app to show one.
    await page.goto(`${stack.urls.dashboard}/account`);
    await page.getByTestId("recovery-codes-code").waitFor(POLL);
    await expect.poll(() => stepAt(Date.now()), { timeout: 35_000, interval: 500 }).toBeGreaterThan(signInStep - 1);
    await page.getByTestId("recovery-codes-code").fill(await totpAt(secret, (signInStep + 1) * 30_000));
    await page.getByTestId("recovery-codes-renew-submit").click();
    await page.getByTestId("recovery-codes").waitFor(POLL);
    const renewed = await page.locator('[data-testid="recovery-codes"] li').allTextContents();
    expect(renewed).toHaveLength(10);
    expect(renewed).not.toContain(recoveryCodes[0]);
    await page.close();
  });

  it("sends an account that must use two factors through enrolment at sign-in, loading the QR encoder only then; an admin resets a lost authenticator", async () => {
    const adminPage = await browser.newPage();
    await passwordStep(adminPage, { email: stack.admin.email, password: ADMIN_PASSWORD });
    await adminPage.waitForURL("**/sites/**", POLL);
    await adminPage.goto(`${stack.urls.dashboard}/users`);
    const requiredRow = adminPage.getByTestId("user-row").filter({ hasText: REQUIRED.email });
    await requiredRow.getByText("Two-factor sign-in").click();
    await requiredRow.getByTestId("require-two-factor").check();
    await expect.poll(async () => (await accounts()).find((account) => account.email === REQUIRED.email)?.twoFactorRequired, POLL).toBe(true);
    await adminPage.close();
    await browser.clearCookies();

    const page = await browser.newPage();
    const { beforeSubmit, scripts } = await passwordStep(page, REQUIRED);
    const { recoveryCodes } = await enrol(page);
    expect(beforeSubmit.length).toBeGreaterThan(0);
    expect(beforeSubmit.filter((url) => url.includes("two-factor-setup"))).toEqual([]);
    expect(scripts.some((url) => url.includes("two-factor-setup"))).toBe(true);
    await page.waitForURL("**/sites/new", POLL);

    // A recovery code stands in for the app, once.
    await page.getByTestId("logout").click();
    await page.waitForURL("**/login", POLL);
    await passwordStep(page, REQUIRED);
    await page.getByTestId("login-code").fill(recoveryCodes[0]!);
    await page.getByTestId("login-code-submit").click();
    await page.waitForURL("**/sites/new", POLL);
    await page.close();
    expect(await accounts()).toContainEqual(expect.objectContaining({ email: REQUIRED.email, twoFactorRequired: true, twoFactorEnabled: true }));

    // Their phone is lost: an admin resets the authenticator, and the next sign-in sets up a new one.
    await browser.clearCookies();
    const admin = await browser.newPage();
    await passwordStep(admin, { email: stack.admin.email, password: ADMIN_PASSWORD });
    await admin.waitForURL("**/sites/**", POLL);
    await admin.goto(`${stack.urls.dashboard}/users`);
    const row = admin.getByTestId("user-row").filter({ hasText: REQUIRED.email });
    await row.getByTestId("user-two-factor").waitFor(POLL);
    await row.getByText("Two-factor sign-in").click();
    await row.getByTestId("reset-two-factor").click();
    await row.getByTestId("reset-two-factor-confirm").click();
    await expect.poll(() => row.getByTestId("user-two-factor").count(), POLL).toBe(0);
    expect((await callApi("POST", "/api/auth/login", {}, REQUIRED)).body).toMatchObject({ secondFactor: { kind: "enrol" } });
    await admin.close();
  });

  it("a global admin requires two factors of everyone from the Users page", async () => {
    const page = await browser.newPage();
    await passwordStep(page, { email: stack.admin.email, password: ADMIN_PASSWORD });
    await page.waitForURL("**/sites/**", POLL);
    await page.goto(`${stack.urls.dashboard}/users`);
    await page.getByTestId("require-two-factor-all").check();
    await expect.poll(async () => (await callApi("GET", "/api/settings", { cookie: adminCookie })).body, POLL).toEqual({ requireTwoFactor: true });
    try {
      const signIn = await callApi("POST", "/api/auth/login", {}, { email: stack.admin.email, password: ADMIN_PASSWORD });
      expect(signIn.body).toMatchObject({ secondFactor: { kind: "enrol" } });
    } finally {
      await page.getByTestId("require-two-factor-all").uncheck();
      await expect.poll(async () => (await callApi("GET", "/api/settings", { cookie: adminCookie })).body, POLL).toEqual({ requireTwoFactor: false });
    }
    await page.close();
  });
});

const accounts = async () => (await callApi("GET", "/api/users", { cookie: adminCookie })).body!.users as { email: string; twoFactorRequired: boolean }[];
