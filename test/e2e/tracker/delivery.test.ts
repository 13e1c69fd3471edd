import type { Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { countBy, pushNow, sleep, watchRequests } from "./support";

const { rig, browser } = useTrackerRig();

const tracks = (...names: string[]) => names.map((name) => ["track", name]);
const keptHits = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.pixel_queue || "[]") as unknown[]).length);
/** Every event id stored once: the deduplicated rows hold each id once and no row was inserted twice. */
async function expectEachOnce(prefix: string, events: { event_id: string }[]): Promise<void> {
  expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);
  expect(await rig().insertedRows(prefix)).toBe(events.length);
}

/** Collector requests that get no answer until released: what a page sees while its request is in flight. */
async function holdSends(): Promise<Route[]> {
  const held: Route[] = [];
  await browser().route("**/telemetry/e", (route) => void held.push(route));
  return held;
}

/** 20 props of 500 characters: about 10 KB of JSON, so a few hits fill the tracker's 50 KB store. */
const bulky = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, "x".repeat(500)]));

/** Kills the page's renderer, as a browser crash would: no pagehide, no last send. */
async function crash(page: Page): Promise<void> {
  const crashed = page.waitForEvent("crash");
  void (await browser().newCDPSession(page)).send("Page.crash").catch(() => {});
  await crashed;
  await page.close(); // a crashed page would fail the context's later calls
}

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

  for (const leave of ["navigates away", "is closed"] as const) {
    it(`offline: a page that ${leave} at once keeps its last events, and the next page load sends them once`, async () => {
      const prefix = rig().prefix("offline-leave");
      const page = await browser().newPage();
      const pageviewSent = delivered(page);
      await page.goto(`${rig().siteUrl}${prefix}/first`);
      await pageviewSent;
      await browser().setOffline(true);
      const next = leave == "is closed" ? await browser().newPage() : page; // the last page closed would end the browser
      await pushNow(page, ...tracks("last-1", "last-2")); // within the 1 s batching delay: only the pagehide send tries
      // close() with beforeunload returns before the page is gone; going back online meanwhile would race its teardown.
      if (leave == "is closed") await Promise.all([page.waitForEvent("close"), page.close({ runBeforeUnload: true })]);
      else await page.goto("about:blank");
      await browser().setOffline(false);
      await next.goto(`${rig().siteUrl}${prefix}/second`);

      const events = await rig().storedEvents(prefix, 4);
      expect(countBy(events)).toMatchObject({ pageview: 2, "last-1": 1, "last-2": 1 });
      await expectEachOnce(prefix, events);
    });
  }

  for (const end of ["closed", "crashed"] as const) {
    it(`a page ${end} mid-request: the next page load sends its hits again, and each lands once`, async () => {
      const prefix = rig().prefix(`mid-request-${end}`);
      const stall = rig().stallSends();
      const page = await browser().newPage();
      await page.goto(`${rig().siteUrl}${prefix}/first`);
      await pushNow(page, ...tracks("in-flight"));
      await until(async () => stall.stalled() >= 1); // the pageview and the event, sent and unanswered
      const next = await browser().newPage();
      if (end == "closed") await page.close({ runBeforeUnload: true });
      else await crash(page);
      await sleep(500); // a closed page's last send reaches the stalled collector too
      stall.fail();
      await sleep(10_500); // the dead page's claim on its stored hits lapses

      await next.goto(`${rig().siteUrl}${prefix}/second`);
      const events = await rig().storedEvents(prefix, 3);
      expect(countBy(events)).toMatchObject({ pageview: 2, "in-flight": 1 });
      await expectEachOnce(prefix, events);
    });
  }

  it("hits the store's cap drops are reported as store_full drops by the next delivered hit", async () => {
    const prefix = rig().prefix("store-full");
    const page = await browser().newPage();
    const pageviewSent = delivered(page);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await pageviewSent;
    await browser().setOffline(true);
    const names = Array.from({ length: 8 }, (_, i) => `bulky-${i + 1}`);
    for (const name of names) await pushNow(page, ["track", name, bulky]);
    await sleep(2500); // the send fails; what is left waits in the store
    const kept = await keptHits(page);
    expect(kept).toBeLessThan(names.length);
    await browser().setOffline(false);

    const events = (await rig().storedEvents(prefix, 1 + kept)).filter((event) => event.name != "pageview");
    expect(events.map((event) => event.name)).toEqual(names.slice(-kept)); // the oldest went first
    const dropped = await rig().droppedHits("store_full", events.map((event) => event.event_id));
    expect(dropped).toBe(names.length - kept);
  });

  it("a second tab leaves hits in flight to the first, and sends those the first never got an answer for", async () => {
    const prefix = rig().prefix("tabs");
    const held = await holdSends();
    const first = await browser().newPage();
    const sentByFirst = watchRequests(first);
    await first.goto(`${rig().siteUrl}${prefix}/first`);
    await until(async () => held.length >= 1);
    const second = await browser().newPage();
    const sentBySecond = watchRequests(second);
    await second.goto(`${rig().siteUrl}${prefix}/second`);
    await until(async () => held.length >= 2);
    const firstIds = new Set(sentByFirst.hits().map((hit) => hit.id));
    expect(sentBySecond.hits().filter((hit) => firstIds.has(hit.id))).toEqual([]); // claimed by the first tab
    for (const route of held.splice(0)) await route.continue();
    await browser().unroute("**/telemetry/e");

    const events = await rig().storedEvents(prefix, 2);
    expect(countBy(events)).toEqual({ pageview: 2 });
    await expectEachOnce(prefix, events);
  });

  it("when keepalive is refused (over 64 KB in flight), the hits wait in the store and each lands once", async () => {
    const prefix = rig().prefix("keepalive-refused");
    const held: Route[] = [];
    let holding = true;
    await browser().route("**/telemetry/e", (route) => (holding ? void held.push(route) : route.continue()));
    const page = await browser().newPage();
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await pushNow(page, ...["a-1", "a-2", "a-3", "a-4"].map((name) => ["track", name, bulky]));
    await until(async () => held.length >= 1); // about 40 KB in flight, unanswered
    holding = false;
    await pushNow(page, ...["b-1", "b-2", "b-3", "b-4"].map((name) => ["track", name, bulky])); // 40 KB more: refused
    await sleep(3000); // Chromium refuses this fetch and its retries while the first request is in flight
    for (const route of held.splice(0)) await route.continue();

    const events = await rig().storedEvents(prefix, 9);
    expect(countBy(events)).toEqual({ pageview: 1, "a-1": 1, "a-2": 1, "a-3": 1, "a-4": 1, "b-1": 1, "b-2": 1, "b-3": 1, "b-4": 1 });
    expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);
  });
});
