import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";
import { startTestStack } from "../../support/stack";
import { TEST_DATABASES } from "../../setup/databases";

const ADMIN_PASSWORD = "e2e-origin-password";
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;
/** Every Content-Security-Policy complaint any page of the run logged. */
const violations: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-origin-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, testClickHouse(TEST_DATABASES.dashboard));
  browser = await launchBrowser();
  browser.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A dashboard page of the signed-in admin; the first call signs in. */
async function dashboardPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${stack.urls.dashboard}/`);
  const site = `**/sites/${stack.siteId}?*`;
  const login = page.getByTestId("login-email");
  if ((await Promise.race([page.waitForURL(site).then(() => "site"), login.waitFor().then(() => "login")])) === "login") {
    await page.getByTestId("login-email").fill(stack.admin.email);
    await page.getByTestId("login-password").fill(ADMIN_PASSWORD);
    await page.getByTestId("login-submit").click();
  }
  await page.waitForURL(site);
  return page;
}

/** The site as the api tells its owner, asked from the dashboard's own page. */
const siteOf = (page: Page) =>
  page.evaluate(async (id) => (await (await fetch(`/api/sites/${id}`)).json()) as { site: { publicShare: boolean } }, stack.siteId);

describe("the dashboard served as Pages serves it", () => {
  it("answers pages with the _headers and /api through the Pages Function to the api Worker", async () => {
    for (const path of ["/", `/sites/${stack.siteId}`, "/share/pxs_x"]) {
      const page = await fetch(`${stack.urls.dashboard}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("referrer-policy")).toBe("same-origin");
      expect(page.headers.get("strict-transport-security")).toContain("max-age=");
      // A new deploy's page must reach the browser at once; the files it names never change under their hashed names.
      expect(page.headers.get("cache-control"), path).not.toContain("immutable");
    }
    const html = await (await fetch(`${stack.urls.dashboard}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${stack.urls.dashboard}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    const health = await fetch(`${stack.urls.dashboard}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const unknown = await fetch(`${stack.urls.dashboard}/api/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "no such route: GET /api/nope" });
  });

  it("signs in with a __Host- cookie kept to this site, and shows every page without a CSP violation", async () => {
    const page = await dashboardPage();
    const [cookie] = await browser.cookies(stack.urls.dashboard);
    expect(cookie).toMatchObject({ name: "__Host-pixel_session", secure: true, httpOnly: true, sameSite: "Strict", path: "/" });
    for (const path of [`/sites/${stack.siteId}?range=day`, `/sites/${stack.siteId}/reports`, `/sites/${stack.siteId}/settings`, "/keys", "/account"]) {
      await page.goto(`${stack.urls.dashboard}${path}`);
      await page.waitForLoadState("networkidle");
    }
    await page.close();
    expect(violations).toEqual([]);
  });

  it("refuses state changes that another origin's page sends with the owner's cookie", async () => {
    const page = await dashboardPage();
    const demo = await browser.newPage();
    await demo.goto(stack.urls.demo);
    // The demo site is same-site with the dashboard (127.0.0.1, another port), so even the Strict cookie goes along.
    await demo.evaluate(
      async ({ dashboard, siteId }) => {
        const form = new FormData();
        form.set("file", new File(["day,visitors\n"], "x.csv", { type: "text/csv" }));
        await fetch(`${dashboard}/api/sites/${siteId}/share`, { method: "POST", mode: "no-cors", credentials: "include" });
        await fetch(`${dashboard}/api/sites/${siteId}/imports`, { method: "POST", mode: "no-cors", credentials: "include", body: form });
      },
      { dashboard: stack.urls.dashboard, siteId: stack.siteId },
    );
    expect((await siteOf(page)).site.publicShare).toBe(false);
    const own = await page.evaluate(async (id) => (await fetch(`/api/sites/${id}/share`, { method: "POST" })).status, stack.siteId);
    expect(own, "the same request from the dashboard's own page").toBe(201);
    await page.evaluate(async (id) => fetch(`/api/sites/${id}/share`, { method: "DELETE" }), stack.siteId);
    await Promise.all([page.close(), demo.close()]);
  });

  it("lets a share page be framed only by the site's own pages, once its owner allows it in the settings", async () => {
    const page = await dashboardPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/share`);
    await page.getByTestId("create-share").click();
    const token = decodeURIComponent(new URL(await page.getByTestId("share-url").inputValue()).pathname.replace("/share/", ""));
    const frameAncestors = async () =>
      /frame-ancestors ([^;]+)/.exec((await fetch(`${stack.urls.dashboard}/share/${token}`)).headers.get("content-security-policy")!)![1];
    expect(await frameAncestors()).toBe("'none'");
    const embed = page.getByTestId("share-embed");
    await embed.check();
    await expect.poll(frameAncestors).toBe("https://localhost https://*.localhost");
    await page.reload();
    expect(await embed.isChecked()).toBe(true);
    expect((await fetch(`${stack.urls.dashboard}/share/pxs_unknown`)).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    await embed.uncheck();
    await expect.poll(frameAncestors).toBe("'none'");
    const shared = await browser.newPage();
    await shared.goto(`${stack.urls.dashboard}/share/${token}`);
    await shared.getByTestId("share-badge").waitFor();
    await shared.close();
    await page.getByTestId("revoke-share").click();
    await page.getByTestId("revoke-share-confirm").click();
    await page.close();
    expect(violations, "the share page and the settings load under the CSP too").toEqual([]);
  });

  it("goes back to a path on the dashboard after signing in, never to another site", async () => {
    const page = await dashboardPage();
    const leaks: string[] = [];
    await page.route((url) => url.hostname === "evil.example", (route) => (leaks.push(route.request().url()), route.abort()));
    for (const next of ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"]) {
      await page.goto(`${stack.urls.dashboard}/login?next=${next}`);
      await page.waitForURL(`${stack.urls.dashboard}/**`);
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).origin, next).toBe(stack.urls.dashboard);
    }
    expect(leaks).toEqual([]);
    await page.close();
  });
});
