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
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { TEST_DATABASES } from "../../setup/databases";
import { visitsOf } from "./visits";
import { launchBrowser } from "../../support/chromium";
import { testClickHouse } from "../../support/clickhouse";

const ADMIN_PASSWORD = "e2e-reports-password";
const VIEWER_PASSWORD = "e2e-reports-viewer-password";
/** The local ClickHouse runs at most three reads at a time on two cores, so an answer can wait behind other widgets' queries. */
const POLL = { timeout: 20_000 };
let stack: Stack;
let browser: BrowserContext;
let dataDir: string;
let reportUrl: string;

/** Today: three visitors, 5 pageviews over /, /pricing and /blog, and one signup event (6 events). */
function visits(siteId: string): EventRow[] {
  const { visit } = visitsOf(siteId);
  return [
    ...visit("201", ["/", "/pricing"]),
    ...visit("201", ["/pricing"], { name: "signup" }),
    ...visit("202", ["/"]),
    ...visit("203", ["/blog", "/"]),
  ];
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "pixel-e2e-reports-"));
  const clickHouse = testClickHouse(TEST_DATABASES.dashboard);
  stack = await startTestStack(dataDir, ADMIN_PASSWORD, clickHouse);
  const client = connectClickHouse(clickHouse);
  await insertEvents(client, visits(stack.siteId));
  await client.close();
  browser = await launchBrowser();
  await signInWith(browser, stack.admin.email, ADMIN_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signInWith(context: BrowserContext, email: string, password: string) {
  const page = await context.newPage();
  await signIn(page, stack.urls.dashboard, email, password);
  await page.waitForURL(`**/sites/${stack.siteId}?*`);
  await page.close();
}

/** A call to the API on the dashboard's origin, with the page's session. */
async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ([method, path, body]) => {
      const response = await fetch(path as string, {
        method: method as string,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    },
    [method, path, body] as const,
  ) as Promise<T>;
}

type QueryAnswer = { results: { dimensions: string[]; metrics: number[] }[] };

const figures = (page: Page) => page.getByTestId("widget").filter({ hasText: "Visitors today" }).getByTestId("widget-figure").allTextContents();
const barRows = async (page: Page) => {
  const widget = page.getByTestId("widget").filter({ hasText: "Top pages" });
  const values = await widget.getByTestId("widget-value").allTextContents();
  const counts = await widget.locator("tbody td.num").allTextContents();
  return values.map((value, i) => `${value}=${counts[i]}`);
};

describe("reports", () => {
  it("builds a report with two widgets whose numbers equal the API's, and keeps them over a reload", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/reports`);
    await page.getByTestId("reports-empty").waitFor();
    await page.getByTestId("report-name").fill("Launch day");
    await page.getByTestId("report-range").selectOption("day");
    await page.getByTestId("report-create").click();
    await page.waitForURL(/\/reports\/[^/]+$/);
    reportUrl = page.url();
    await page.getByTestId("report-empty").waitFor();

    // A number of visitors, previewed live while it is composed.
    await page.getByTestId("add-widget").click();
    const builder = page.getByTestId("widget-builder");
    await builder.getByTestId("builder-title").fill("Visitors today");
    await expect.poll(() => builder.getByTestId("widget-preview").getByTestId("widget-figure").allTextContents(), POLL).toEqual(["3"]);
    await builder.getByTestId("builder-metric-pageviews").check();
    await expect.poll(() => builder.getByTestId("widget-preview").getByTestId("widget-figure").allTextContents(), POLL).toEqual(["3", "5"]);
    await builder.getByTestId("builder-metric-pageviews").uncheck();
    await builder.getByTestId("builder-save").click();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Visitors today"]);

    // A bar list of the top pages, 3 columns wide; the builder names what is missing before saving.
    await page.getByTestId("add-widget").click();
    await builder.getByTestId("builder-kind-bar").check();
    await builder.getByTestId("builder-width").selectOption("3");
    await builder.getByTestId("builder-save").click();
    expect(await builder.getByTestId("builder-problems").textContent()).toContain("Give the widget a title.");
    await builder.getByTestId("builder-title").fill("Top pages");
    await expect.poll(() => builder.getByTestId("widget-preview").getByTestId("widget-value").allTextContents(), POLL).toEqual(["/", "/blog", "/pricing"]);
    await shot(page, "reports-builder");
    await builder.getByTestId("builder-save").click();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Visitors today", "Top pages"]);
    expect(await page.getByTestId("widget-builder").count()).toBe(0);

    // What the widgets show is what the API answers for their saved queries, sent as docs/api.md says.
    type Saved = { report: { dateRange: string; widgets: { kind: string; width: number; query: object }[] } };
    const saved = await apiCall<Saved>(page, "GET", new URL(reportUrl).pathname.replace("/sites/", "/api/sites/"));
    expect(saved.report.dateRange).toBe("day");
    expect(saved.report.widgets.map((widget) => `${widget.kind}:${widget.width}`)).toEqual(["number:2", "bar:3"]);
    const [visitors, pages] = await Promise.all(
      saved.report.widgets.map((widget) =>
        apiCall<QueryAnswer>(page, "POST", "/api/v2/query", { ...widget.query, site_id: stack.siteId, date_range: saved.report.dateRange }),
      ),
    );
    const expectedFigures = [String(visitors!.results[0]!.metrics[0])];
    const expectedRows = pages!.results.map((row) => `${row.dimensions[0]}=${row.metrics[0]}`);
    expect(expectedFigures).toEqual(["3"]);
    expect(expectedRows).toEqual(["/=3", "/blog=1", "/pricing=1"]);
    await expect.poll(() => figures(page), POLL).toEqual(expectedFigures);
    await expect.poll(() => barRows(page), POLL).toEqual(expectedRows);
    await shot(page, "reports-grid", { fullPage: true });

    await page.reload();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Visitors today", "Top pages"]);
    await expect.poll(() => figures(page), POLL).toEqual(expectedFigures);
    await expect.poll(() => barRows(page), POLL).toEqual(expectedRows);

    // Moving the bar list up puts it first, for good.
    await page.getByTestId("widget").filter({ hasText: "Top pages" }).getByTestId("widget-up").click();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Top pages", "Visitors today"]);
    await page.reload();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Top pages", "Visitors today"]);

    // The comparison lives in the URL, like the overview's.
    await page.getByTestId("compare-select").selectOption("year_over_year");
    await expect.poll(() => new URL(page.url()).searchParams.get("compare"), POLL).toBe("year");
    await page.reload();
    expect(await page.getByTestId("compare-select").inputValue()).toBe("year_over_year");
    await page.getByTestId("compare-select").selectOption("");
    await expect.poll(() => new URL(page.url()).searchParams.get("compare"), POLL).toBe("off");
    await page.close();
  });

  it("shows a viewer the report without any way to change it, also at 390 px", async () => {
    const admin = await browser.newPage();
    await admin.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/reports`);
    const email = "viewer@reports.e2e.test";
    await apiCall(admin, "POST", "/api/users", { email, password: VIEWER_PASSWORD, role: "user" });
    await apiCall(admin, "PUT", `/api/sites/${stack.siteId}/members`, { email, role: "viewer" });
    await admin.close();

    const viewerBrowser = await launchBrowser();
    try {
      await signInWith(viewerBrowser, email, VIEWER_PASSWORD);
      const page = await viewerBrowser.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${stack.urls.dashboard}/sites/${stack.siteId}/reports`);
      await expect.poll(() => page.getByTestId("report-link").allTextContents(), POLL).toEqual(["Launch day"]);
      expect(await page.getByTestId("report-create").count()).toBe(0);
      expect(await page.getByTestId("report-delete").count()).toBe(0);
      await page.getByTestId("report-link").click();
      await expect.poll(() => figures(page), POLL).toEqual(["3"]);
      await expect.poll(() => barRows(page), POLL).toEqual(["/=3", "/blog=1", "/pricing=1"]);
      for (const control of ["add-widget", "add-sql-widget", "widget-edit", "widget-delete", "widget-up"]) {
        expect(await page.getByTestId(control).count(), control).toBe(0);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, "reports-viewer-mobile", { fullPage: true });
    } finally {
      await viewerBrowser.close();
    }
  });

  it("lets a global admin write a SQL widget with the schema browser, see ClickHouse's errors and save it", async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    await page.getByTestId("add-sql-widget").click();
    const editor = page.getByTestId("sql-editor");
    const sql = editor.getByTestId("sql-text");

    await sql.fill("SELECT nonsense_column FROM events");
    await editor.getByTestId("sql-run").click();
    await expect.poll(() => editor.getByTestId("sql-error").textContent(), POLL).toContain("ClickHouse refused it");

    // Built from the schema browser: the table, a column and a bound parameter are clicked in.
    await sql.fill("SELECT count() AS hits FROM ");
    await editor.getByTestId("schema-table").filter({ hasText: /^events$/ }).click();
    await sql.press("End");
    await sql.pressSequentially(" WHERE ");
    await editor.getByTestId("schema-column").filter({ hasText: /^site_id$/ }).first().click();
    await sql.pressSequentially(" = ");
    await editor.getByTestId("sql-param").filter({ hasText: "{site_id:String}" }).click();
    await sql.pressSequentially(" AND timestamp >= ");
    await editor.getByTestId("sql-param").filter({ hasText: "{from:DateTime64(3)}" }).click();
    expect(await sql.inputValue()).toBe(
      "SELECT count() AS hits FROM events WHERE site_id = {site_id:String} AND timestamp >= {from:DateTime64(3)}",
    );
    await editor.getByTestId("sql-kind").selectOption("number");
    await editor.getByTestId("sql-run").click();
    await expect.poll(() => editor.getByTestId("sql-result").getByTestId("widget-figure").allTextContents(), POLL).toEqual(["6"]);
    await shot(page, "reports-sql-editor");

    await editor.getByTestId("sql-title").fill("Events (SQL)");
    await editor.getByTestId("sql-save").click();
    const widget = page.getByTestId("widget").filter({ hasText: "Events (SQL)" });
    await expect.poll(() => widget.getByTestId("widget-figure").allTextContents(), POLL).toEqual(["6"]);
    await page.reload();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Top pages", "Visitors today", "Events (SQL)"]);
    await expect.poll(() => widget.getByTestId("widget-figure").allTextContents(), POLL).toEqual(["6"]);
    await shot(page, "reports-with-sql", { fullPage: true });

    // The report's date range is shared by its widgets and saved with it.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId("range-select").selectOption("custom");
    await page.getByTestId("range-from").fill(yesterday);
    await page.getByTestId("range-to").fill(yesterday);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => figures(page), POLL).toEqual(["0"]);
    const path = new URL(reportUrl).pathname.replace("/sites/", "/api/sites/");
    expect((await apiCall<{ report: { dateRange: unknown } }>(page, "GET", path)).report.dateRange).toEqual([yesterday, yesterday]);
    await page.getByTestId("range-select").selectOption("day");
    await expect.poll(() => figures(page), POLL).toEqual(["3"]);
    expect((await apiCall<{ report: { dateRange: unknown } }>(page, "GET", path)).report.dateRange).toBe("day");
    await page.close();
  });

  it("edits a widget into a table with CSV export, deletes it, and renames and deletes reports", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(reportUrl);
    const visitorsWidget = page.getByTestId("widget").filter({ hasText: "Visitors today" });
    await expect.poll(() => visitorsWidget.getByTestId("widget-figure").allTextContents(), POLL).toEqual(["3"]);
    await visitorsWidget.getByTestId("widget-edit").click();
    const builder = page.getByTestId("widget-builder");
    expect(await builder.getByTestId("builder-title").inputValue()).toBe("Visitors today");
    // Every chart kind previews: a line chart draws, the countries list names them.
    await builder.getByTestId("builder-kind-line").check();
    await builder.getByTestId("widget-preview").getByTestId("widget-chart").locator("canvas").first().waitFor({ timeout: 20_000 });
    await builder.getByTestId("builder-kind-map").check();
    await expect.poll(() => builder.getByTestId("widget-preview").getByTestId("widget-value").allTextContents(), POLL).toEqual(["Germany"]);
    const overflow = await builder.evaluate((dialog) => dialog.scrollWidth - dialog.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, "reports-builder-mobile", { fullPage: true });
    await builder.getByTestId("builder-title").fill("Browsers");
    await builder.getByTestId("builder-kind-table").check();
    await builder.getByTestId("builder-dimension").selectOption("event:page");
    await builder.getByTestId("builder-metric-pageviews").check();
    await builder.getByTestId("builder-add-filter").click();
    await builder.getByTestId("builder-filter-values").fill("/pricing");
    await expect.poll(() => builder.getByTestId("widget-preview").getByTestId("widget-cell").allTextContents(), POLL).toEqual(["/pricing", "1", "1"]);
    await builder.getByTestId("builder-dimension").selectOption("visit:browser");
    await builder.getByTestId("builder-filter-values").fill("");
    await builder.getByTestId("builder-filter").getByRole("button", { name: "Remove filter 1" }).click();
    await builder.getByTestId("builder-save").click();
    const table = page.getByTestId("widget").filter({ hasText: "Browsers" });
    await expect.poll(async () => (await table.getByTestId("widget-cell").count()) > 0, POLL).toBe(true);
    expect(await page.getByTestId("widget-title").allTextContents()).toEqual(["Top pages", "Browsers", "Events (SQL)"]);
    const [download] = await Promise.all([page.waitForEvent("download"), table.getByTestId("widget-export").click()]);
    expect(download.suggestedFilename()).toBe("localhost-Browsers-day.csv");

    await table.getByTestId("widget-delete").click();
    await table.getByTestId("widget-delete-confirm").click();
    await expect.poll(() => page.getByTestId("widget-title").allTextContents(), POLL).toEqual(["Top pages", "Events (SQL)"]);

    await page.getByRole("link", { name: "← All reports" }).click();
    await page.getByTestId("report-name").fill("Scratch");
    await page.getByTestId("report-create").click();
    await page.waitForURL(/\/reports\/[^/]+$/);
    await page.goBack();
    await expect.poll(() => page.getByTestId("report-link").allTextContents(), POLL).toEqual(["Launch day", "Scratch"]);
    // Located by place: while renaming, the name is an input value, not text.
    const scratch = page.getByTestId("report-item").nth(1);
    await scratch.getByTestId("report-rename").click();
    await scratch.getByTestId("report-rename-input").fill("Scratch pad");
    await scratch.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByTestId("report-link").allTextContents(), POLL).toEqual(["Launch day", "Scratch pad"]);
    await scratch.getByTestId("report-delete").click();
    await scratch.getByTestId("report-delete-confirm").click();
    await expect.poll(() => page.getByTestId("report-link").allTextContents(), POLL).toEqual(["Launch day"]);
    await page.reload();
    await expect.poll(() => page.getByTestId("report-link").allTextContents(), POLL).toEqual(["Launch day"]);
    await page.close();
  });
});
