import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { countBy, pushNow, sleep, watchRequests } from "./support";

const { rig, browser } = useTrackerRig();

const tracks = (...names: string[]) => names.map((name) => ["track", name]);
const keptHits = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.pixel_queue || "[]") as unknown[]).length);
const delivered = (page: Page) => page.waitForResponse((response) => response.url().endsWith("/telemetry/e") && response.status() == 204);

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${check}`);
    await sleep(200);
  }
}

describe("delivery", () => {
  it("offline → online: events wait in localStorage and are delivered exactly once", async () => {
    const prefix = rig().prefix("offline");
    const page = await browser().newPage();
    const pageviewSent = delivered(page);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await pageviewSent;
    await browser().setOffline(true);
    await pushNow(page, ...tracks("offline-1", "offline-2", "offline-3", "offline-4", "offline-5"));
    await until(async () => (await keptHits(page)) == 5);
    await sleep(2000); // a retry or two fail as well
    expect(await keptHits(page)).toBe(5);
    await browser().setOffline(false);

    const events = await rig().storedEvents(prefix, 6);
    expect(countBy(events)).toEqual({ pageview: 1, "offline-1": 1, "offline-2": 1, "offline-3": 1, "offline-4": 1, "offline-5": 1 });
    expect(await rig().insertedRows(prefix)).toBe(6); // no hit was sent twice
    expect(await keptHits(page)).toBe(0);
  });

  it("what a page could not deliver is sent by the next page load", async () => {
    const prefix = rig().prefix("next-load");
    const page = await browser().newPage();
    const pageviewSent = delivered(page);
    await page.goto(`${rig().siteUrl}${prefix}/first`);
    await pageviewSent;
    await browser().setOffline(true);
    await pushNow(page, ...tracks("kept-1", "kept-2", "kept-3"));
    await until(async () => (await keptHits(page)) >= 3);
    await page.goto("about:blank");
    await browser().setOffline(false);
    await page.goto(`${rig().siteUrl}${prefix}/second`);

    const events = await rig().storedEvents(prefix, 5);
    expect(countBy(events)).toMatchObject({ pageview: 2, "kept-1": 1, "kept-2": 1, "kept-3": 1 });
    expect(await rig().insertedRows(prefix)).toBe(events.length);
  });

  it("a 5xx or 429 answer is retried later with the same event ids; a 4xx is not", async () => {
    const prefix = rig().prefix("retry");
    const page = await browser().newPage();
    const answers = [503, 429];
    await page.route("**/telemetry/e", (route) => {
      const status = answers.shift();
      return status ? route.fulfill({ status, body: '{"error":"busy"}' }) : route.continue();
    });
    const sent = watchRequests(page);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    const events = await rig().storedEvents(prefix, 1);
    expect(countBy(events)).toEqual({ pageview: 1 });
    expect(sent.bodies.length).toBeGreaterThanOrEqual(3);
    expect(new Set(sent.hits().map((hit) => hit.id))).toEqual(new Set([events[0]!.event_id]));

    // A 400 is final: the refused hit is sent once and never again.
    answers.push(400);
    await pushNow(page, ...tracks("refused"));
    await sleep(4000);
    await pushNow(page, ...tracks("accepted"));
    expect(countBy(await rig().storedEvents(prefix, 2))).toEqual({ pageview: 1, accepted: 1 });
    expect(sent.hits().filter((hit) => hit.name == "refused")).toHaveLength(1);
  });

  it("closing the page sends what is pending at once", async () => {
    const prefix = rig().prefix("close");
    const page = await browser().newPage();
    const pageviewSent = delivered(page);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await pageviewSent;
    await pushNow(page, ...tracks("last-1", "last-2", "last-3"));
    await page.close({ runBeforeUnload: true }); // well within the 1 s batching delay

    expect(countBy(await rig().storedEvents(prefix, 4))).toMatchObject({ pageview: 1, "last-1": 1, "last-2": 1, "last-3": 1 });
  });

  for (const [storage, breakStorage] of [
    ["unavailable", () => Object.defineProperty(window, "localStorage", { get: () => { throw new DOMException("denied", "SecurityError"); } })],
    ["full", () => { try { for (let i = 0; ; i++) localStorage.setItem(`filler-${i}`, "x".repeat(1 << 20)); } catch {} }],
  ] as const) {
    it(`localStorage ${storage}: the tracker still sends and never throws into the page`, async () => {
      const prefix = rig().prefix(`storage-${storage}`);
      const page = await browser().newPage();
      const errors: Error[] = [];
      page.on("pageerror", (error) => errors.push(error));
      await page.addInitScript(breakStorage);
      await page.goto(`${rig().siteUrl}${prefix}/page`);
      await pushNow(page, ["track", "signup", { plan: "pro" }]);
      await page.evaluate((prefix) => history.pushState({}, "", `${prefix}/page/2`), prefix);
      await sleep(1500);
      await page.goto("about:blank");

      expect(countBy(await rig().storedEvents(prefix, 3))).toMatchObject({ pageview: 2, signup: 1 });
      expect(errors).toEqual([]);
    });
  }
});
