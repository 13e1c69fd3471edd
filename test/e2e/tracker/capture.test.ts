import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { countBy, pushFirst, sleep, watchRequests } from "./support";

const { rig, browser } = useTrackerRig();

describe("scroll depth and engagement", () => {
  it("reports the deepest scroll and the engaged time once per page, when the page is left by SPA navigation or unload", async () => {
    const prefix = rig().prefix("engagement");
    const page = await browser().newPage();
    const sent = watchRequests(page);
    const opened = Date.now();
    await page.goto(`${rig().siteUrl}${prefix}/article`);
    await page.mouse.wheel(0, 1500);
    await sleep(1200);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await sleep(1200);
    await page.evaluate(() => window.scrollTo(0, 0)); // the deepest point counts, not the last
    await sleep(1200);
    expect(sent.hits().map((hit) => hit.name)).toEqual(["pageview"]); // no stream of scroll events
    await page.evaluate((prefix) => history.pushState({}, "", `${prefix}/article/comments`), prefix);
    const firstPageMs = Date.now() - opened;
    await sleep(1200);
    await page.goto("about:blank");

    const events = await rig().storedEvents(prefix, 4);
    expect(countBy(events)).toEqual({ pageview: 2, engagement: 2 });
    const [first, second] = events.filter((event) => event.name == "engagement");
    expect(first).toMatchObject({ pathname: `${prefix}/article`, title: "Page article", scroll_depth: 100 });
    expect(first!.engaged_ms).toBeGreaterThanOrEqual(3400);
    expect(first!.engaged_ms).toBeLessThanOrEqual(firstPageMs);
    expect(second!.pathname).toBe(`${prefix}/article/comments`);
    expect(second!.engaged_ms).toBeGreaterThanOrEqual(1000);
    expect(second!.scroll_depth).toBeLessThan(100); // the new route starts at the top again
  });

  it("sends no engagement when scrollTracking and visibilityTracking are off", async () => {
    const prefix = rig().prefix("engagement-off");
    const page = await browser().newPage();
    await pushFirst(page, [["config", "scrollTracking", false], ["config", "visibilityTracking", false]]);
    await page.goto(`${rig().siteUrl}${prefix}/article`);
    await sleep(500);
    await page.goto("about:blank");
    expect(countBy(await rig().storedEvents(prefix, 1))).toEqual({ pageview: 1 });
  });
});

describe("outbound links, downloads and forms", () => {
  it("records an outbound click with its URL, trimmed text and domain", async () => {
    const prefix = rig().prefix("outbound");
    const page = await browser().newPage();
    await pushFirst(page, [["config", "clickTracking", true]]);
    const sent = watchRequests(page);
    await page.goto(`${rig().siteUrl}${prefix}/links`);
    await page.click("#outbound");
    await page.waitForURL(`${rig().elsewhereUrl}/partner`);

    const events = await rig().storedEvents(prefix, 3);
    expect(countBy(events)).toMatchObject({ pageview: 1, outbound: 1 });
    expect(events.find((event) => event.name == "outbound")!.props).toEqual({
      url: `${rig().elsewhereUrl}/partner`,
      text: "Our partner",
      domain: "127.0.0.1",
    });
    expect(sent.scripts).toContain("/telemetry/pixel-capture.js");
  });

  it("records a file download with its extension and file name", async () => {
    const prefix = rig().prefix("download");
    const page = await browser().newPage();
    await pushFirst(page, [["config", "downloadTracking", true]]);
    await page.goto(`${rig().siteUrl}${prefix}/files`);
    await page.click("#download");
    await sleep(1500);
    await page.goto("about:blank");

    const events = await rig().storedEvents(prefix, 2);
    expect(countBy(events)).toMatchObject({ pageview: 1, download: 1 });
    expect(events.find((event) => event.name == "download")!.props).toEqual({
      url: `${rig().siteUrl}/files/annual%20report.PDF`,
      extension: "pdf",
      filename: "annual report.PDF",
    });
  });

  it("records a form submission with its id, action and field names, never values or password fields", async () => {
    const prefix = rig().prefix("form");
    const page = await browser().newPage();
    await pushFirst(page, [["config", "formTracking", true]]);
    const sent = watchRequests(page);
    await page.goto(`${rig().siteUrl}${prefix}/signup`);
    await page.fill("input[name=password]", "another-secret-value");
    await page.click("#submit");
    await page.waitForURL("**/thanks?from=form");
    await page.goto("about:blank");

    const events = await rig().storedEvents(prefix, 3);
    expect(countBy(events)).toMatchObject({ pageview: 2, form_submit: 1 });
    const submitted = events.find((event) => event.name == "form_submit")!;
    expect(submitted.pathname).toBe(`${prefix}/signup`);
    expect(submitted.props).toEqual({ form: "signup", action: `${rig().siteUrl}${prefix}/thanks`, fields: "email,plan,note" });
    const everything = JSON.stringify({ bodies: sent.bodies, events });
    for (const secret of ["jane@example.com", "hunter2-secret", "another-secret-value", "555 0100", "password"]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("captures downloads and outbound links by default, as the seed promised", async () => {
    const prefix = rig().prefix("capture-default");
    const page = await browser().newPage();
    const sent = watchRequests(page);
    await page.goto(`${rig().siteUrl}${prefix}/links`);
    await sleep(500);
    await page.click("#download");
    await page.click("#outbound");
    await page.waitForURL(`${rig().elsewhereUrl}/partner`);

    const events = await rig().storedEvents(prefix, 3);
    expect(countBy(events)).toMatchObject({ pageview: 1, download: 1, outbound: 1 });
    expect(sent.scripts).toEqual(["/telemetry/pixel.js", "/telemetry/pixel-capture.js"]);
  });

  it("captures none of them when all three are switched off", async () => {
    const prefix = rig().prefix("capture-off");
    const page = await browser().newPage();
    await pushFirst(page, [["config", "clickTracking", false], ["config", "downloadTracking", false], ["config", "formTracking", false]]);
    await page.goto(`${rig().siteUrl}${prefix}/links`);
    await sleep(500);
    await page.click("#download");
    await page.click("#outbound");
    await page.waitForURL(`${rig().elsewhereUrl}/partner`);

    const events = await rig().storedEvents(prefix, 1);
    expect(Object.keys(countBy(events)).sort()).toEqual(["engagement", "pageview"]);
  });
});
