import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "@pixel/dev/stack/index";
import { connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { TEST_DATABASES } from "../../setup/databases";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";
import { signIn } from "../../support/sign-in";
import { startTestStack } from "../../support/stack";
import { visitsOf } from "./visits";

const ADMIN_PASSWORD = "e2e-data-controls-password";
const CLICKHOUSE = testClickHouse(TEST_DATABASES.dashboard);
/** The local ClickHouse runs every write alone, and the retention job runs a mutation per table. */
const POLL = { timeout: 30_000 };
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;

/** Two visitors today and one 40 days ago, which a 30-day retention deletes. */
function visits(siteId: string) {
  const { visit } = visitsOf(siteId);
  return [...visit("201", ["/", "/pricing"]), ...visit("202", ["/"]), ...visit("203", ["/old"], {}, () => Date.now() - 40 * 86_400_000)];
}

async function storedPaths(siteId: string): Promise<string[]> {
  const client = connectClickHouse(CLICKHOUSE);
  try {
    const rows = await selectRows<{ pathname: string }>(client, "SELECT pathname FROM events FINAL WHERE site_id = {site:String} ORDER BY pathname", { site: siteId });
    return rows.map((row) => row.pathname);
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-data-"));
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, CLICKHOUSE);
  const client = connectClickHouse(CLICKHOUSE);
  await insertEvents(client, visits(stack.siteId));
  await client.close();
  browser = await launchBrowser();
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

const openDataTab = async (page: Page) => {
  await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/settings/data`);
  await page.getByTestId("retention-form").waitFor();
};

describe("the site's data in its settings", { timeout: 120_000 }, () => {
  it("a shorter retention is applied to the stored events, with its progress shown until done", async () => {
    expect(await storedPaths(stack.siteId)).toEqual(["/", "/", "/old", "/pricing"]);
    const page = await browser.newPage();
    await openDataTab(page);
    await page.getByLabel("Keep events for").selectOption({ label: "30 days" });
    await page.getByTestId("save-retention").click();
    await expect.poll(() => page.getByTestId("retention-progress").textContent(), POLL).toContain("Applied to the stored data: events are kept for 30 days.");
    expect(await storedPaths(stack.siteId)).toEqual(["/", "/", "/pricing"]);
    await page.reload();
    await page.getByTestId("retention-form").waitFor();
    expect(await page.getByLabel("Keep events for").inputValue()).toBe("30");
    await page.close();
  });

  it("downloads the events as CSV", async () => {
    const page = await browser.newPage();
    await openDataTab(page);
    await page.getByLabel("Format").selectOption("csv");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download").click()]);
    expect(download.suggestedFilename()).toMatch(/^pixel-.+\.csv$/);
    const lines = readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/);
    expect(lines[0]).toContain("pathname");
    expect(lines).toHaveLength(4);
    await page.close();
  });

  it("deletes all data after the domain is typed, and the overview is empty", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => page.getByTestId("stat-pageviews").first().textContent(), POLL).toBe("3");
    await openDataTab(page);
    expect(await page.getByTestId("delete-data").isDisabled()).toBe(true);
    const label = await page.locator("label[for=delete-data-confirm]").textContent();
    await page.getByTestId("delete-data-confirm").fill(label!.replace(/^Type (\S+) to confirm$/, "$1"));
    await page.getByTestId("delete-data").click();
    await expect.poll(() => page.getByTestId("data-deleted").textContent(), POLL).toBe("All of the site's data is deleted.");
    expect(await storedPaths(stack.siteId)).toEqual([]);
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}?range=day`);
    await expect.poll(() => page.getByTestId("stat-pageviews").first().textContent(), POLL).toBe("0");
    await page.close();
  });
});
