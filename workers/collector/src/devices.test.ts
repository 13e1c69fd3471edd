import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { linkedVisitor, type DeviceHit } from "./devices";
import type { CollectorEnv } from "./env";

const links = (env as unknown as CollectorEnv).LINKS;
/** Times ahead of the clock, so the clean-up alarm of a sighting has not fired yet. */
const START = Date.now() + 60 * 60_000;
const minutes = (count: number) => START + count * 60_000;
const strongSignal = () => `dev_${crypto.randomUUID().replaceAll("-", "")}`;
const DIRECT = { linked_source: "Direct / None", linked_channel: "direct" };
const FROM_INSTAGRAM = { linked_source: "l.instagram.com", linked_channel: "organic social" };

/** A browser's hit; `webview` names the app of an in-app one. */
const seen = (site: string, visitor: string, webview = "", passes = DIRECT): DeviceHit => ({ site, visitor, webview, passes });
const visitorOf = async (device: string | undefined, hit: DeviceHit, at: number, account = "acct_1") =>
  (await linkedVisitor(links, account, device, hit, at)).visitor_id;

describe("cross-site device linking", () => {
  it("links a visitor on another site of the same account 14 minutes later", async () => {
    const device = strongSignal();
    expect(await visitorOf(device, seen("site_a", "111"), minutes(0))).toBe("111");
    expect(await visitorOf(device, seen("site_b", "222"), minutes(14))).toBe("111");
    expect(await visitorOf(device, seen("site_b", "222"), minutes(20))).toBe("111");
  });

  it("does not link 16 minutes later", async () => {
    const device = strongSignal();
    await visitorOf(device, seen("site_a", "111"), minutes(0));
    expect(await visitorOf(device, seen("site_b", "222"), minutes(16))).toBe("222");
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["short", "abc12345"],
    ["one repeated character", "0".repeat(32)],
  ])("never links on %s signals", async (_, device) => {
    await visitorOf(device, seen("site_a", "111"), minutes(0));
    expect(await visitorOf(device, seen("site_b", "222"), minutes(1))).toBe("222");
  });

  it("never links across accounts", async () => {
    const device = strongSignal();
    await visitorOf(device, seen("site_a", "111"), minutes(0));
    expect(await visitorOf(device, seen("site_b", "222"), minutes(1), "acct_2")).toBe("222");
  });

  it("treats a signal that two visitors share on one site as weak, and links neither", async () => {
    const device = strongSignal();
    await visitorOf(device, seen("site_a", "111"), minutes(0));
    expect(await visitorOf(device, seen("site_a", "333"), minutes(1))).toBe("333");
    expect(await visitorOf(device, seen("site_b", "222"), minutes(2))).toBe("222");
  });
});

describe("in-app WebView to browser linking on one site", () => {
  it("gives the browser visit that follows within 15 minutes the WebView's visitor and source, on every hit", async () => {
    const device = strongSignal();
    expect(await linkedVisitor(links, "acct_1", device, seen("site_a", "111", "Instagram", FROM_INSTAGRAM), minutes(0))).toEqual({
      visitor_id: "111",
      linked_source: "",
      linked_channel: "",
    });
    await linkedVisitor(links, "acct_1", device, seen("site_a", "111", "Instagram", DIRECT), minutes(2)); // its next page
    const browser = { visitor_id: "111", ...FROM_INSTAGRAM };
    expect(await linkedVisitor(links, "acct_1", device, seen("site_a", "222"), minutes(16))).toEqual(browser);
    expect(await linkedVisitor(links, "acct_1", device, seen("site_a", "222"), minutes(20))).toEqual(browser);
    // The WebView's own later hits stay its own, and neither is weak.
    expect(await linkedVisitor(links, "acct_1", device, seen("site_a", "111", "Instagram"), minutes(21))).toMatchObject({ visitor_id: "111", linked_source: "" });
  });

  it("does not link a browser visit more than 15 minutes after the WebView's last hit", async () => {
    const device = strongSignal();
    await visitorOf(device, seen("site_a", "111", "Instagram", FROM_INSTAGRAM), minutes(0));
    expect(await linkedVisitor(links, "acct_1", device, seen("site_a", "222"), minutes(16))).toEqual({ visitor_id: "222", linked_source: "", linked_channel: "" });
  });

  it("never links without strong device signals", async () => {
    await visitorOf(undefined, seen("site_a", "111", "Instagram", FROM_INSTAGRAM), minutes(0));
    expect(await linkedVisitor(links, "acct_1", undefined, seen("site_a", "222"), minutes(1))).toEqual({ visitor_id: "222", linked_source: "", linked_channel: "" });
  });

  it.each([
    ["a browser before the WebView", [seen("site_a", "222"), seen("site_a", "111", "Instagram", FROM_INSTAGRAM)], seen("site_a", "333")],
    ["two WebViews", [seen("site_a", "111", "Instagram", FROM_INSTAGRAM), seen("site_a", "444", "TikTok")], seen("site_a", "222")],
    ["a second browser after the linked one", [seen("site_a", "111", "Instagram", FROM_INSTAGRAM), seen("site_a", "222")], seen("site_a", "333")],
  ])("treats %s on one site as a weak signal, and links nobody after it", async (_, before, after) => {
    const device = strongSignal();
    for (const [i, hit] of before.entries()) await visitorOf(device, hit, minutes(i));
    expect(await linkedVisitor(links, "acct_1", device, after, minutes(3))).toEqual({ visitor_id: after.visitor, linked_source: "", linked_channel: "" });
    expect(await linkedVisitor(links, "acct_1", device, seen("site_a", "555"), minutes(4))).toMatchObject({ linked_source: "" });
  });
});
