import { drizzle } from "drizzle-orm/d1";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSite, createUser } from "@pixel/lib/d1/accounts";
import { collect, testEnv } from "@pixel/test/support/workers/collector";

/** Instagram's in-app browser on an iPhone, then Safari on the same iPhone. */
const INSTAGRAM_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.1.1.28.108 (iPhone13,3; iOS 17_1_2; en_US; en; scale=3.00; 1170x2532; 537288532)";
const SAFARI_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1";
const PHONE = { ip: "198.51.100.40" };
/** Ahead of the clock, so no clean-up alarm of the device links fires between the controlled times. */
const START = Date.now() + 60 * 60_000;
const atMinute = (minute: number) => vi.setSystemTime(START + minute * 60_000);

let domain = "";
beforeAll(async () => {
  const db = drizzle(testEnv.DB);
  const owner = await createUser(db, { email: `owner-${crypto.randomUUID()}@example.com`, password: "a-long-enough-password" });
  domain = `app-${crypto.randomUUID().slice(0, 8)}.example`;
  await createSite(db, { domain, ownerId: owner.id });
});

afterEach(() => {
  vi.useRealTimers();
});

const pageview = (path: string, extra: Record<string, unknown>) =>
  JSON.stringify({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: `https://${domain}${path}`, ...extra });

/** An Instagram visit from a post's link, then the same device's browser `minutes` after its last hit. */
async function instagramThenBrowser(minutes: number, device: string | undefined) {
  vi.useFakeTimers({ toFake: ["Date"] });
  atMinute(0);
  const inApp = await collect(pageview("/spring-sale", { referrer: "https://l.instagram.com/", device }), { ...PHONE, ua: INSTAGRAM_UA });
  atMinute(2);
  await collect(pageview("/pricing", { referrer: `https://${domain}/spring-sale`, device }), { ...PHONE, ua: INSTAGRAM_UA });
  atMinute(2 + minutes);
  const browser = await collect(pageview("/pricing", { device }), { ...PHONE, ua: SAFARI_UA });
  atMinute(3 + minutes);
  const signup = await collect(JSON.stringify({ ...JSON.parse(pageview("/pricing", { device })), name: "signup" }), { ...PHONE, ua: SAFARI_UA });
  return { inApp: inApp.sent[0]!, browser: browser.sent[0]!, signup: signup.sent[0]! };
}

const strongSignal = () => `dev_${crypto.randomUUID().replaceAll("-", "")}`;

describe("in-app WebView to browser linking (identity: 'device', through the collector)", () => {
  it("gives the browser visit 14 minutes after an Instagram visit that visit's visitor, source and channel", async () => {
    const { inApp, browser, signup } = await instagramThenBrowser(14, strongSignal());
    expect(inApp).toMatchObject({ webview: "Instagram", referrer_host: "l.instagram.com", channel: "organic social", linked_source: "", linked_channel: "" });
    expect(browser).toMatchObject({ webview: "", browser: "Mobile Safari", channel: "direct", linked_source: "l.instagram.com", linked_channel: "organic social" });
    expect(browser.visitor_id).toBe(inApp.visitor_id);
    expect(signup).toMatchObject({ name: "signup", visitor_id: inApp.visitor_id, linked_source: "l.instagram.com" });
  });

  it("leaves the browser visit 16 minutes later alone", async () => {
    const { inApp, browser } = await instagramThenBrowser(16, strongSignal());
    expect(browser).toMatchObject({ webview: "", linked_source: "", linked_channel: "" });
    expect(browser.visitor_id).not.toBe(inApp.visitor_id);
  });

  it("changes nothing for a site whose pages do not turn the device identity on (hits without device)", async () => {
    const { inApp, browser } = await instagramThenBrowser(1, undefined);
    expect(browser).toMatchObject({ webview: "", linked_source: "", linked_channel: "" });
    expect(browser.visitor_id).not.toBe(inApp.visitor_id);
  });
});
