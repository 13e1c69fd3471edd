import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { until } from "../../support/poll";
import { countBy, openBrowser, pushFirst, pushNow, sleep, type StatsRow, watchRequests } from "./support";

const { rig, browser } = useTrackerRig();


describe("user ids", () => {
  it("refuses an email address or phone number as user id (warning in debug mode); null clears it", async () => {
    const prefix = rig().prefix("user-id");
    const page = await browser().newPage();
    const logged: string[] = [];
    page.on("console", (message) => logged.push(message.text()));
    await pushFirst(page, [["debug", true]]);
    await page.goto(`${rig().siteUrl}${prefix}/account`);
    await pushNow(
      page,
      ["setUserId", "customer-7"],
      ["track", "with-id"],
      ["setUserId", "jane.doe@example.com"],
      ["track", "after-email"],
      ["setUserId", "+49 (30) 1234-5678"],
      ["track", "after-phone"],
      // Digits alone pass pixel.js, whose budget holds only the short rule; the collector leaves them out.
      ["setUserId", "4915112345678"],
      ["track", "dialled-phone"],
      ["setUserId", null],
      ["track", "cleared"],
    );
    await sleep(1500);
    await page.goto("about:blank");

    const userIds = Object.fromEntries((await rig().storedEvents(prefix, 6)).map((event) => [event.name, event.user_id]));
    // A refused id leaves the previous one in place; it is never stored itself.
    expect(userIds).toMatchObject({ pageview: "", "with-id": "customer-7", "after-email": "customer-7", "after-phone": "customer-7", "dialled-phone": "", cleared: "" });
    expect(logged.filter((line) => line.includes("setUserId refused"))).toHaveLength(2);
    expect(JSON.stringify(logged.filter((line) => !line.includes("refused")))).not.toMatch(/jane\.doe|1234-5678/);
  });
});

describe("Do Not Track and Global Privacy Control", () => {
  const privacySignals = [
    ["Do Not Track", () => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" })],
    ["Global Privacy Control", () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })],
  ] as const;

  for (const [signal, sendSignal] of privacySignals) {
    it(`${signal} is honoured with respectDnt, and only then`, async () => {
      const honoured = rig().prefix("dnt-on");
      const ignored = rig().prefix("dnt-off");
      for (const [prefix, respectDnt] of [[honoured, true], [ignored, false]] as const) {
        const page = await browser().newPage();
        const sent = watchRequests(page);
        await page.addInitScript(sendSignal);
        await pushFirst(page, [["config", "respectDnt", respectDnt]]);
        await page.goto(`${rig().siteUrl}${prefix}/page`);
        await pushNow(page, ["track", "signup"]);
        await sleep(1500);
        await page.goto("about:blank");
        expect(sent.bodies.length > 0).toBe(!respectDnt);
      }
      expect(await rig().storedEvents(honoured, 0)).toEqual([]);
      expect(countBy(await rig().storedEvents(ignored, 2))).toMatchObject({ pageview: 1, signup: 1 });
    });
  }
});

describe("device identity", () => {
  it("is off by default: the device code is not loaded and hits carry no device", async () => {
    const prefix = rig().prefix("device-off");
    const page = await browser().newPage();
    const sent = watchRequests(page);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await sleep(1500);
    await page.goto("about:blank");

    expect(countBy(await rig().storedEvents(prefix, 1))).toMatchObject({ pageview: 1 });
    expect(sent.scripts).not.toContain("/telemetry/pixel-device.js");
    expect(sent.hits().length).toBeGreaterThan(0);
    expect(sent.hits().filter((hit) => "device" in hit)).toEqual([]);
  });

  it("with identity 'device', every hit carries the same hash of the device signals, from the first pageview on", async () => {
    const prefix = rig().prefix("device-on");
    const devices: (string | undefined)[] = [];
    for (const path of ["first", "second"]) {
      const page = await browser().newPage();
      const sent = watchRequests(page);
      await pushFirst(page, [["config", "identity", "device"]]);
      await page.goto(`${rig().siteUrl}${prefix}/${path}`);
      await pushNow(page, ["track", "signup"]);
      await sleep(1500);
      await page.goto("about:blank");
      expect(sent.scripts).toEqual(expect.arrayContaining(["/telemetry/pixel.js", "/telemetry/pixel-device.js"]));
      devices.push(...sent.hits().map((hit) => hit.device));
    }
    expect(devices.length).toBeGreaterThanOrEqual(4);
    expect(devices[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(devices)).toEqual(new Set([devices[0]]));
    expect(countBy(await rig().storedEvents(prefix, 4))).toMatchObject({ pageview: 2, signup: 2 });
  });

  it("sends no device at all when every signal fails, and does not hold the hits back", async () => {
    const prefix = rig().prefix("device-none");
    const page = await browser().newPage();
    const sent = watchRequests(page);
    await page.addInitScript(() => {
      const fail = () => {
        throw new Error("blocked");
      };
      for (const [owner, key] of [[Screen.prototype, "colorDepth"], [Navigator.prototype, "languages"], [Navigator.prototype, "language"]] as const) {
        Object.defineProperty(owner, key, { get: fail });
      }
      HTMLCanvasElement.prototype.getContext = fail;
      HTMLCanvasElement.prototype.toDataURL = fail;
      Object.assign(window, { OfflineAudioContext: fail });
      Intl.DateTimeFormat = fail as never;
    });
    await pushFirst(page, [["config", "identity", "device"]]);
    await page.goto(`${rig().siteUrl}${prefix}/page`);
    await sleep(2000);
    expect(sent.hits().map((hit) => hit.name)).toEqual(["pageview"]); // sent while the page is open, without a device
    await page.goto("about:blank");

    expect(sent.scripts).toContain("/telemetry/pixel-device.js");
    expect(sent.hits().filter((hit) => "device" in hit)).toEqual([]);
    expect(countBy(await rig().storedEvents(prefix, 1))).toMatchObject({ pageview: 1 });
  });
});

describe("in-app WebView to browser, with identity 'device'", () => {
  const INSTAGRAM_UA =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.1.1.28.108 (iPhone13,3; iOS 17_1_2; en_US; en; scale=3.00; 1170x2532; 537288532)";

  const sorted = (rows: StatsRow[]) => [...rows].sort((a, b) => a.dimensions.join().localeCompare(b.dimensions.join()));

  /**
   * One device's two browsers: Instagram's WebView, then (its own storage, the same device signals) the browser. Every
   * test here runs on the same machine, so the device's languages are its own: the other tests' hits on the site are
   * another device, not a browser seen before the WebView (which would make the signal weak).
   */
  async function visit(device: string, url: string, userAgent?: string, ...then: unknown[][]): Promise<string[]> {
    const browser = await openBrowser(userAgent);
    const page = await browser.newPage();
    const sent = watchRequests(page);
    await page.addInitScript((language) => Object.defineProperty(Navigator.prototype, "languages", { get: () => ["en-US", language] }), device);
    await pushFirst(page, [["config", "identity", "device"]]);
    await page.goto(url);
    if (then.length) await pushNow(page, ...then);
    await sleep(1500);
    await page.goto("about:blank");
    await browser.close();
    return sent.hits().map((hit) => hit.device ?? "");
  }

  it("links the browser visit to the Instagram visit before it: one visitor, and the signup counts for Instagram's source", async () => {
    const prefix = rig().prefix("webview-link");
    const device = `x-${prefix.slice(-8)}`;
    const inApp = await visit(device, `${rig().siteUrl}${prefix}/spring-sale?utm_source=instagram`, INSTAGRAM_UA);
    const inBrowser = await visit(device, `${rig().siteUrl}${prefix}/pricing`, undefined, ["track", "signup"]);
    expect(inApp[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([...inApp, ...inBrowser])).toEqual(new Set([inApp[0]])); // the same device signals in both

    const onPrefix = ["contains", "event:page", [prefix]];
    const visits = () =>
      rig().stats({ metrics: ["visitors", "visits"], dimensions: ["visit:webview", "visit:linked_source", "visit:linked_channel"], filters: [onPrefix], date_range: "day" });
    const both = await until(visits, (rows) => rows.length === 2);
    expect(sorted(both)).toEqual([
      { dimensions: ["", "instagram", "organic social"], metrics: [1, 1] },
      { dimensions: ["Instagram", "", ""], metrics: [1, 1] },
    ]);
    expect(await rig().stats({ metrics: ["visitors", "visits"], filters: [onPrefix], date_range: "day" })).toEqual([{ dimensions: [], metrics: [1, 2] }]);
    const signups = await rig().stats({ metrics: ["visitors"], dimensions: ["visit:source", "visit:linked_source"], filters: [onPrefix, ["is", "event:name", ["signup"]]], date_range: "day" });
    expect(signups).toEqual([{ dimensions: ["Direct / None", "instagram"], metrics: [1] }]);
  });

  it("links nothing without the identity: two visitors, no linked source", async () => {
    const prefix = rig().prefix("webview-anonymous");
    for (const [path, userAgent] of [["/spring-sale?utm_source=instagram", INSTAGRAM_UA], ["/pricing", undefined]] as const) {
      const browser = await openBrowser(userAgent);
      const page = await browser.newPage();
      await page.goto(`${rig().siteUrl}${prefix}${path}`);
      await sleep(1500);
      await page.goto("about:blank");
      await browser.close();
    }
    const onPrefix = ["contains", "event:page", [prefix]];
    const rows = await until(
      () => rig().stats({ metrics: ["visitors"], dimensions: ["visit:webview", "visit:linked_source"], filters: [onPrefix], date_range: "day" }),
      (rows) => rows.length === 2,
    );
    expect(sorted(rows)).toEqual([
      { dimensions: ["", ""], metrics: [1] },
      { dimensions: ["Instagram", ""], metrics: [1] },
    ]);
  });
});
