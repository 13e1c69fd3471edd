import { describe, expect, it } from "vitest";
import { useTrackerRig } from "./rig-hooks";
import { countBy, pushFirst, pushNow, sleep, watchRequests } from "./support";

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
