import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { signIn } from "../../support/sign-in";
import { shot } from "../../support/screenshots";
import { startTestStack } from "../../support/stack";
import { TEST_DATABASES } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { pageview, sendHits } from "../ingestion/support";
import { testClickHouse } from "../../support/clickhouse";

const ADMIN_PASSWORD = "e2e-admin-pages-password";
/** Has no site yet: signing in takes them to the first-run page. */
const OWNER = { email: "owner@e2e.test", password: "owner-e2e-password" };
const VIEWER = { email: "viewer@e2e.test", password: "viewer-first-password", next: "viewer-second-password" };
const NEW_DOMAIN = "first-run.example";
/** The local ClickHouse runs at most three reads at a time on two cores, and a write alone, so an answer can wait behind the page's refreshes. */
const POLL = { timeout: 15_000 };
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;
let adminCookie: string;
/** The site the first-run test adds; later tests change its settings and finally delete it. */
let newSiteId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-admin-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, testClickHouse(TEST_DATABASES.dashboard));
  browser = await launchBrowser();
  await browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.urls.dashboard });
  adminCookie = await apiLogin(stack.admin.email, ADMIN_PASSWORD);
  const page = await browser.newPage();
  await signIn(page, stack.urls.dashboard, stack.admin.email, ADMIN_PASSWORD);
  await page.waitForURL(`**/sites/${stack.siteId}?*`);
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function apiLogin(email: string, password: string): Promise<string> {
  const response = await fetch(`${stack.urls.api}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.urls.api },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

async function callApi(method: string, path: string, auth: { cookie?: string; bearer?: string }, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: stack.urls.api };
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  const response = await fetch(`${stack.urls.api}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}



describe("adding a site", () => {
  it("takes someone without sites to the first run, which adds the site; the install check turns green when a hit arrives", async () => {
    expect((await callApi("POST", "/api/users", { cookie: adminCookie }, { email: OWNER.email, password: OWNER.password })).status).toBe(201);
    const owner = await launchBrowser();
    try {
      await owner.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.urls.dashboard });
      const page = await owner.newPage();
      await signIn(page, stack.urls.dashboard, OWNER.email, OWNER.password);
      await page.waitForURL("**/sites/new");
      await addFirstSite(page);
    } finally {
      await owner.close();
    }
  });
});

/** The first-run form: a refused domain, then the site, its snippet, and the install check going green. */
async function addFirstSite(page: Page) {
  await page.getByRole("heading", { name: "Add your first site" }).waitFor(POLL);
  const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect.poll(() => page.getByTestId("site-timezone").inputValue(), POLL).toBe(browserZone);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("site-domain");

  // A URL is not a domain: the API's message shows next to the field.
  await page.getByTestId("site-domain").fill("https://first-run.example/");
  await page.getByTestId("create-site").click();
  await expect.poll(() => page.getByTestId("site-domain-error").textContent(), POLL).toMatch(/not a domain name.*no scheme/);

  await page.getByTestId("site-domain").fill(NEW_DOMAIN);
  await page.getByTestId("site-name-input").fill("First run");
  await page.getByTestId("create-site").click();
  await page.waitForURL("**/sites/new?site=*");
  newSiteId = new URL(page.url()).searchParams.get("site")!;
  const snippet = (await page.getByTestId("snippet").textContent())!;
  expect(snippet).toContain('js.src = "/telemetry/pixel.js"');
  expect(snippet).toContain('_pixel.push(["config", "baseUrl", "/telemetry"])');
  expect(await page.getByTestId("install-check").getAttribute("data-state")).toBe("waiting");
  const created = await callApi("GET", `/api/sites/${newSiteId}`, { cookie: adminCookie });
  expect(created.body).toMatchObject({ site: { domain: NEW_DOMAIN, name: "First run", timezone: browserZone, role: "owner" } });

  await page.getByTestId("copy-snippet").click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), POLL).toBe(snippet);
  await shot(page, "admin-new-site-waiting", { fullPage: true });

  expect(await sendHits(stack.urls.collector, [pageview(NEW_DOMAIN, 1)])).toBe(204);
  await expect.poll(() => page.getByTestId("install-check").getAttribute("data-state"), { timeout: 60_000 }).toBe("receiving");
  expect(await page.getByTestId("install-status").textContent()).toContain("Receiving data — 1 pageview");
  await shot(page, "admin-new-site-receiving", { fullPage: true });

  await page.getByTestId("go-to-overview").click();
  await page.waitForURL(`**/sites/${newSiteId}*`);
  await expect.poll(() => page.getByTestId("site-name").textContent(), POLL).toBe("First run");
}

describe("site settings", () => {
  it("keeps edited general settings and shields across a reload, and names a bad shield line", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${newSiteId}/settings`);
    await page.getByTestId("general-form").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("First run, renamed");
    await page.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await page.getByLabel("More hostnames").fill("First-Run.example.net\n\nalias.example.org\n");
    await page.getByTestId("save-general").click();
    await expect.poll(() => page.getByTestId("saved").textContent(), POLL).toBe("Saved.");
    await expect.poll(() => page.getByTestId("site-name").textContent(), POLL).toBe("First run, renamed");

    // A value the API refuses: its message next to the field, which gets the focus.
    await page.getByLabel("Endpoint name").fill("a/b");
    await page.getByTestId("save-general").click();
    await expect.poll(() => page.getByTestId("settings-endpoint-error").textContent(), POLL).toContain("one path segment");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("settings-endpoint");

    await page.reload();
    await page.getByTestId("general-form").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("First run, renamed");
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Asia/Tokyo");
    expect(await page.getByLabel("More hostnames").inputValue()).toBe("first-run.example.net\nalias.example.org");
    expect(await page.getByLabel("Endpoint name").inputValue()).toBe("e");
    await shot(page, "admin-settings-general", { fullPage: true });

    await page.getByTestId("settings-tab-shields").click();
    await page.waitForURL(`**/sites/${newSiteId}/settings/shields`);
    await page.getByTestId("shield-ipRanges").fill("203.0.113.0/24\n999.1.2.3");
    await page.getByTestId("shield-countries").fill("de\nfr");
    await page.getByTestId("shield-paths").fill("/admin/*");
    await page.getByTestId("save-shields").click();
    await expect.poll(() => page.getByTestId("shield-ipRanges-error").textContent(), POLL).toContain("Line 2 (999.1.2.3) is not an IP address");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("shield-ipRanges");
    await page.getByTestId("shield-ipRanges").fill("203.0.113.0/24\n2001:db8::/32");
    await page.getByTestId("save-shields").click();
    await expect.poll(() => page.getByTestId("saved").textContent(), POLL).toContain("Saved.");
    await page.reload();
    await page.getByTestId("shields-form").waitFor();
    expect(await page.getByTestId("shield-ipRanges").inputValue()).toBe("203.0.113.0/24\n2001:db8::/32");
    expect(await page.getByTestId("shield-countries").inputValue()).toBe("DE\nFR");
    const stored = await callApi("GET", `/api/sites/${newSiteId}`, { cookie: adminCookie });
    expect(stored.body).toMatchObject({
      site: { shields: { ipRanges: ["203.0.113.0/24", "2001:db8::/32"], countries: ["DE", "FR"], paths: ["/admin/*"], hostnames: [] } },
    });
    await shot(page, "admin-settings-shields", { fullPage: true });
    await page.close();
  });

  it("creates and deletes goals", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${newSiteId}/settings/goals`);
    await page.getByTestId("goals-empty").waitFor(POLL);
    await page.getByTestId("goal-target").fill("signup");
    await page.getByTestId("create-goal").click();
    await expect.poll(() => page.getByTestId("goal-name").allTextContents(), POLL).toEqual(["signup"]);

    await page.getByTestId("goal-kind-page").check();
    await page.getByTestId("goal-target").fill("/pricing*");
    await page.getByTestId("goal-display").fill("Pricing");
    await page.getByTestId("create-goal").click();
    await expect.poll(() => page.getByTestId("goal-name").allTextContents(), POLL).toEqual(["signup", "Pricing"]);

    // The same display name twice is refused with the API's reason.
    await page.getByTestId("goal-target").fill("signup");
    await page.getByTestId("create-goal").click();
    await expect.poll(() => page.getByTestId("goal-error").textContent(), POLL).toContain("already has a goal called signup");
    await shot(page, "admin-settings-goals", { fullPage: true });

    await page.getByTestId("goal-row").filter({ hasText: "signup" }).getByTestId("delete-goal").click();
    await page.getByTestId("delete-goal-confirm").click();
    await expect.poll(() => page.getByTestId("goal-name").allTextContents(), POLL).toEqual(["Pricing"]);
    await page.reload();
    await expect.poll(() => page.getByTestId("goal-name").allTextContents(), POLL).toEqual(["Pricing"]);
    const goals = await callApi("GET", `/api/sites/${newSiteId}/goals`, { cookie: adminCookie });
    expect(goals.body).toMatchObject({ goals: [{ kind: "page", pagePath: "/pricing*", displayName: "Pricing" }] });
    await page.close();
  });

  it("makes a share link on the dashboard's origin, and turns it off", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${newSiteId}/settings/share`);
    await expect.poll(() => page.getByTestId("share-state").textContent(), POLL).toBe("Sharing is off.");
    await page.getByTestId("create-share").click();
    const url = page.getByTestId("share-url");
    await url.waitFor(POLL);
    const link = new URL(await url.inputValue());
    expect(link.origin).toBe(stack.urls.dashboard);
    const token = decodeURIComponent(link.pathname.replace("/share/", ""));
    expect(token).toMatch(/^pxs_/);
    expect((await callApi("GET", `/api/share/${token}`, {})).body).toMatchObject({ site: { id: newSiteId } });
    await shot(page, "admin-settings-share", { fullPage: true });

    await page.getByTestId("revoke-share").click();
    await page.getByTestId("revoke-share-confirm").click();
    await expect.poll(() => page.getByTestId("share-state").textContent(), POLL).toBe("Sharing is off.");
    expect((await callApi("GET", `/api/share/${token}`, {})).status).toBe(404);
    await page.close();
  });

  it("is usable at 390 px", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [`/sites/${newSiteId}/settings`, `/sites/${newSiteId}/settings/shields`, "/users", "/keys"]) {
      await page.goto(`${stack.urls.dashboard}${path}`);
      await page.locator("form.admin-form").first().waitFor(POLL);
      // Measured once every section has loaded: a poll alone would pass on a moment before the widest one arrives.
      await expect.poll(() => page.locator('[aria-busy="true"]').count(), POLL).toBe(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.goto(`${stack.urls.dashboard}/sites/${newSiteId}/settings`);
    await page.getByTestId("general-form").waitFor(POLL);
    await shot(page, "admin-settings-mobile", { fullPage: true });
    const dark = () => page.evaluate(() => document.documentElement.dataset.theme === "dark");
    await page.getByTestId("theme-toggle").click();
    if (!(await dark())) await page.getByTestId("theme-toggle").click();
    await shot(page, "admin-settings-mobile-dark", { fullPage: true });
    await page.getByTestId("theme-toggle").click();
    expect(await dark()).toBe(false);
    await page.close();
  });
});

describe("users and roles", () => {
  it("creates an account and gives it viewer access to a site", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/users`);
    await page.getByTestId("user-form").waitFor(POLL);
    await page.getByTestId("user-email").fill(VIEWER.email);
    await page.getByTestId("user-name").fill("Vera Viewer");
    await page.getByTestId("user-password").fill(VIEWER.password);
    await page.getByTestId("create-user").click();
    const row = page.getByTestId("user-row").filter({ hasText: VIEWER.email });
    await row.waitFor(POLL);
    // The admin can't disable or delete themselves: those buttons are only on other rows.
    const self = page.getByTestId("user-row").filter({ hasText: stack.admin.email });
    expect(await self.getByTestId("delete-user").count()).toBe(0);
    expect(await self.getByTestId("user-row-role").isDisabled()).toBe(true);

    await row.getByTestId("toggle-user").click();
    await row.getByTestId("user-disabled").waitFor(POLL);
    await row.getByTestId("toggle-user").click();
    await expect.poll(() => row.getByTestId("user-disabled").count(), POLL).toBe(0);

    await row.getByText("Give site access").click();
    await row.getByTestId("grant-site").selectOption(stack.siteId);
    await row.getByTestId("grant-site-role").selectOption("viewer");
    await row.getByTestId("grant-site-submit").click();
    await expect.poll(() => row.getByTestId("user-row-note").textContent(), POLL).toContain(`${VIEWER.email} is now viewer of Demo site`);
    await shot(page, "admin-users", { fullPage: true });
    const members = await callApi("GET", `/api/sites/${stack.siteId}/members`, { cookie: adminCookie });
    expect(members.body?.members).toContainEqual(expect.objectContaining({ email: VIEWER.email, role: "viewer" }));
    await page.close();
  });

  it("a viewer sees no settings and can't reach admin pages, which the API refuses too; they change their password", async () => {
    const viewer = await launchBrowser();
    try {
      const page = await viewer.newPage();
      await signIn(page, stack.urls.dashboard, VIEWER.email, VIEWER.password);
      await page.waitForURL(`**/sites/${stack.siteId}?*`);
      await page.getByTestId("nav-overview").waitFor();
      expect(await page.getByTestId("nav-settings").count()).toBe(0);
      expect(await page.getByTestId("nav-users").count()).toBe(0);

      await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings`);
      await page.getByTestId("no-access").waitFor(POLL);
      expect(await page.getByTestId("general-form").count()).toBe(0);
      await shot(page, "admin-viewer-no-access", { fullPage: true });
      await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/goals`);
      await page.getByTestId("no-access").waitFor(POLL);
      await page.goto(`${stack.urls.dashboard}/users`);
      await page.getByTestId("no-access").waitFor(POLL);
      expect(await page.getByTestId("user-form").count()).toBe(0);

      const refused = await page.evaluate(async (siteId) => {
        const call = async (method: string, path: string, body?: unknown) => {
          const init: RequestInit = { method, credentials: "include", headers: { "content-type": "application/json" } };
          if (body !== undefined) init.body = JSON.stringify(body);
          return (await fetch(path, init)).status;
        };
        return {
          settings: await call("PATCH", `/api/sites/${siteId}`, { name: "hijacked" }),
          goal: await call("POST", `/api/sites/${siteId}/goals`, { kind: "event", eventName: "x" }),
          members: await call("GET", `/api/sites/${siteId}/members`),
          users: await call("GET", "/api/users"),
        };
      }, stack.siteId);
      expect(refused).toEqual({ settings: 403, goal: 403, members: 403, users: 403 });

      // Their own account page works: a wrong current password is named, then the change goes through.
      await page.goto(`${stack.urls.dashboard}/account`);
      await page.getByTestId("password-current").fill("not-my-password");
      await page.getByTestId("password-next").fill(VIEWER.next);
      await page.getByTestId("password-repeat").fill(VIEWER.next);
      await page.getByTestId("password-submit").click();
      await expect.poll(() => page.getByTestId("password-current-error").textContent(), POLL).toContain("not your current password");
      await page.getByTestId("password-current").fill(VIEWER.password);
      await page.getByTestId("password-next").fill(VIEWER.next);
      await page.getByTestId("password-repeat").fill(VIEWER.next);
      await page.getByTestId("password-submit").click();
      await expect.poll(() => page.getByTestId("password-changed").textContent(), POLL).toContain("Password changed");
      await shot(page, "admin-account", { fullPage: true });

      await page.getByTestId("logout").click();
      await page.waitForURL("**/login*");
      await signIn(page, stack.urls.dashboard, VIEWER.email, VIEWER.password);
      await expect.poll(() => page.getByTestId("login-error").textContent(), POLL).toContain("wrong e-mail or password");
      await signIn(page, stack.urls.dashboard, VIEWER.email, VIEWER.next);
      await page.waitForURL(`**/sites/${stack.siteId}?*`);
    } finally {
      await viewer.close();
    }
  });
});

describe("sessions", () => {
  it("the account page lists where you are signed in, signs one out, then everywhere", async () => {
    const person = { email: "sessions@e2e.test", password: "sessions-e2e-password" };
    expect((await callApi("POST", "/api/users", { cookie: adminCookie }, person)).status).toBe(201);
    const elsewhere = await apiLogin(person.email, person.password);
    const context = await launchBrowser();
    try {
      const page = await context.newPage();
      await signIn(page, stack.urls.dashboard, person.email, person.password);
      await page.waitForURL("**/sites/new*");
      await page.goto(`${stack.urls.dashboard}/account`);
      await expect.poll(() => page.getByTestId("session-row").count(), POLL).toBe(2);
      expect(await page.getByTestId("session-row").filter({ hasText: "this browser" }).textContent()).toContain("Chrome");
      await page.getByTestId("end-session").click();
      await page.getByTestId("end-session-confirm").click();
      await expect.poll(() => page.getByTestId("session-row").count(), POLL).toBe(1);
      expect((await callApi("GET", "/api/auth/me", { cookie: elsewhere })).status).toBe(401);
      await shot(page, "admin-sessions", { fullPage: true });

      await page.getByTestId("sign-out-everywhere").click();
      await page.getByTestId("sign-out-everywhere-confirm").click();
      await page.waitForURL("**/login*");
      await page.goto(`${stack.urls.dashboard}/account`);
      await page.waitForURL("**/login*");
    } finally {
      await context.close();
    }
  });
});

describe("site members", () => {
  it("lets the owner give, change and take access, but never demote the last owner", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${newSiteId}/settings/members`);
    await page.getByTestId("grant-form").waitFor(POLL);
    await expect.poll(() => page.getByTestId("member-row").count(), POLL).toBe(1);
    await page.getByTestId("grant-email").fill(VIEWER.email);
    await page.getByTestId("grant-role").selectOption("admin");
    await page.getByTestId("grant-submit").click();
    const row = page.getByTestId("member-row").filter({ hasText: VIEWER.email });
    await row.waitFor(POLL);
    expect(await row.getByTestId("member-role").inputValue()).toBe("admin");

    const owner = page.getByTestId("member-row").filter({ hasText: OWNER.email });
    await owner.getByTestId("member-role").selectOption("viewer");
    await expect.poll(() => page.getByTestId("members-error").textContent(), POLL).toContain("only owner");
    expect(await owner.getByTestId("member-role").inputValue()).toBe("owner");

    await row.getByTestId("member-role").selectOption("viewer");
    await expect.poll(async () => {
      const members = await callApi("GET", `/api/sites/${newSiteId}/members`, { cookie: adminCookie });
      return (members.body?.members as { email: string; role: string }[]).find((member) => member.email === VIEWER.email)?.role;
    }, POLL).toBe("viewer");
    await shot(page, "admin-settings-members", { fullPage: true });
    await row.getByTestId("remove-member").click();
    await row.getByTestId("remove-member-confirm").click();
    await expect.poll(() => page.getByTestId("member-row").count(), POLL).toBe(1);
    await page.close();
  });
});

describe("API keys", () => {
  it("shows a new key once; it reads stats until it is revoked", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/keys`);
    await page.getByTestId("keys-empty").waitFor(POLL);
    await page.getByTestId("key-name-input").fill("Grafana");
    for (const box of await page.getByTestId("key-site").all()) await box.uncheck();
    await page.getByTestId("create-key").click();
    await expect.poll(() => page.locator("#key-sites-error").textContent(), POLL).toContain("Pick at least one site");
    await page.getByTestId("key-site").first().check();
    await page.getByTestId("create-key").click();
    const secret = page.getByTestId("key-secret");
    await secret.waitFor(POLL);
    const token = await secret.inputValue();
    expect(token).toMatch(/^pxk_/);
    await expect.poll(() => page.getByTestId("key-name").allTextContents(), POLL).toEqual(["Grafana"]);
    await shot(page, "admin-keys", { fullPage: true });

    const [siteId] = (await callApi("GET", "/api/keys", { cookie: adminCookie })).body!.keys as { siteIds: string[] }[];
    const query = { site_id: siteId!.siteIds[0], metrics: ["pageviews"], date_range: "all" };
    expect((await callApi("POST", "/api/v2/query", { bearer: token }, query)).status).toBe(200);

    await page.reload();
    await expect.poll(() => page.getByTestId("key-name").allTextContents(), POLL).toEqual(["Grafana"]);
    expect(await page.getByTestId("key-secret").count()).toBe(0);
    await page.getByTestId("revoke-key").click();
    await page.getByTestId("revoke-key-confirm").click();
    await page.getByTestId("keys-empty").waitFor(POLL);
    expect((await callApi("POST", "/api/v2/query", { bearer: token }, query)).status).toBe(401);
    await page.close();
  });
});

describe("deleting a site", () => {
  it("needs the domain typed, then the site is gone", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${newSiteId}/settings`);
    await page.getByTestId("delete-confirm").waitFor(POLL);
    expect(await page.getByTestId("delete-site").isDisabled()).toBe(true);
    await page.getByTestId("delete-confirm").fill("first-run.exampl");
    expect(await page.getByTestId("delete-site").isDisabled()).toBe(true);
    await page.getByTestId("delete-confirm").fill(NEW_DOMAIN);
    await page.getByTestId("delete-site").click();
    await page.waitForURL((url) => !url.pathname.includes(newSiteId));
    expect((await callApi("GET", `/api/sites/${newSiteId}`, { cookie: adminCookie })).status).toBe(404);
    await page.close();
  });
});
