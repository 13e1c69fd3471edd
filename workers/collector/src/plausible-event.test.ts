import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { LIMITS } from "@pixel/lib/events/hit";
import { collect, testEnv } from "@pixel/test/support/workers/collector";

const EVENT_PATH = "/telemetry/api/event";
/** wrangler.toml: [[ratelimits]] VISITOR_LIMIT, simple = { limit = 600, period = 60 }. */
const PER_MINUTE = 600;
const SERVER = "198.51.100.5";

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: "plausible-app.example" })).id;
});

const send = (body: unknown, init: Parameters<typeof collect>[1] = {}, bindings: Parameters<typeof collect>[2] = {}) =>
  collect(typeof body === "string" ? body : JSON.stringify(body), { host: "plausible-app.example", path: EVENT_PATH, ...init }, bindings);

describe("Plausible's Events API at /telemetry/api/event", () => {
  it("takes Plausible's documented body (application/json) and answers 202, enriched like any hit", async () => {
    const { response, sent } = await send(
      { name: "Signup", url: "https://plausible-app.example/pricing?utm_source=newsletter", domain: "plausible-app.example", referrer: "https://www.google.com/", props: { plan: "pro", seats: 3 }, revenue: { currency: "EUR", amount: 10 }, interactive: false },
      { headers: { "content-type": "application/json" } },
    );
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("ok");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ site_id: siteId, name: "Signup", pathname: "/pricing", utm_source: "newsletter", referrer_host: "google.com", country: "DE", browser: "Chrome", props: { plan: "pro", seats: "3" } });
  });

  it("keeps Plausible's revenue (long key or $) as an exact decimal and its currency", async () => {
    const long = await send({ name: "Purchase", url: "https://plausible-app.example/", domain: "plausible-app.example", revenue: { amount: "19.99", currency: "EUR" } });
    expect(long.response.status).toBe(202);
    expect(long.sent[0]).toMatchObject({ name: "Purchase", revenue_amount: "19.99", revenue_currency: "EUR" });
    const short = await send({ n: "Purchase", u: "https://plausible-app.example/", d: "plausible-app.example", $: { amount: 1234.5, currency: "USD" } });
    expect(short.sent[0]).toMatchObject({ revenue_amount: "1234.5", revenue_currency: "USD" });
    const none = await send({ n: "pageview", u: "https://plausible-app.example/", d: "plausible-app.example", $: null });
    expect(none.sent[0]).toMatchObject({ revenue_amount: "0", revenue_currency: "" });
  });

  it("keeps an event whose revenue is wrong without its revenue, as Plausible does, and counts invalid_revenue", async () => {
    const purchase = { name: "Purchase", url: "https://plausible-app.example/", domain: "plausible-app.example" };
    const cases: [unknown, string][] = [
      [{ amount: "19.99", currency: "euro" }, "currency"],
      [{ amount: "-5", currency: "EUR" }, "amount"],
      [{ amount: "1".repeat(15), currency: "EUR" }, "amount"],
      [{ amount: 0.1 + 0.2, currency: "EUR" }, "amount"],
      [{ amount: "1" }, "currency"],
      ["19.99 EUR", ""],
    ];
    for (const [revenue, detail] of cases) {
      const { response, sent, drops } = await send({ ...purchase, revenue });
      expect(response.status, JSON.stringify(revenue)).toBe(202);
      expect(response.headers.get("x-pixel-dropped")).toBe("invalid_revenue");
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ name: "Purchase", revenue_amount: "0", revenue_currency: "" });
      expect(drops).toMatchObject([{ site_id: siteId, reason: "invalid_revenue", detail, hits: 1 }]);
    }
  });

  it("takes the short keys Plausible's tracker sends as text/plain, props as an object or a JSON string", async () => {
    const object = await send({ n: "pageview", u: "https://plausible-app.example/a", d: "plausible-app.example", r: null, p: { theme: "dark" }, h: 1, v: 20 });
    expect(object.response.status).toBe(202);
    expect(object.sent[0]).toMatchObject({ name: "pageview", pathname: "/a", props: { theme: "dark" } });
    const string = await send({ n: "pageview", u: "https://plausible-app.example/b", d: "plausible-app.example", m: JSON.stringify({ theme: "light" }) });
    expect(string.sent[0]).toMatchObject({ pathname: "/b", props: { theme: "light" } });
  });

  it("refuses what the hit wire format refuses, with a clear 400, and counts it as a drop", async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: "pageview", domain: "plausible-app.example" }, /^url: /],
      [{ name: "pageview", url: "https://plausible-app.example/" }, /^domain: required/],
      [{ name: "pageview", url: "not a url", domain: "plausible-app.example" }, /^url: must be an absolute URL/],
      [{ name: "x".repeat(LIMITS.nameLength + 1), url: "https://plausible-app.example/", domain: "plausible-app.example" }, /^name: at most 100/],
      [{ name: "pageview", url: "https://plausible-app.example/", domain: "plausible-app.example", props: ["a"] }, /^props: must be an object/],
      [{ name: "pageview", url: "https://plausible-app.example/", domain: "plausible-app.example", user: "joe" }, /^user: not a field/],
      [[{ name: "pageview" }], /must be a Plausible event object/],
      [{ name: 42, url: "https://plausible-app.example/", domain: "plausible-app.example" }, /^name: Invalid type: Expected string/],
      ["{", /not valid UTF-8 JSON/],
    ];
    for (const [body, error] of cases) {
      const { response, sent, drops } = await send(body, { headers: { origin: "https://plausible-app.example" } });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json<{ error: string }>()).error).toMatch(error);
      expect(sent).toEqual([]);
      expect(drops).toMatchObject([{ site_id: siteId, reason: "invalid", hits: 1 }]);
    }
  });

  it("counts an event for a domain no site claims as unknown_site, like any hit", async () => {
    const { response, sent, drops } = await send({ name: "pageview", url: "https://nobody.example/", domain: "nobody.example" });
    expect(response.status).toBe(202);
    expect(response.headers.get("x-pixel-dropped")).toBe("unknown_site");
    expect(sent).toEqual([]);
    expect(drops).toMatchObject([{ reason: "unknown_site", hostname: "nobody.example", hits: 1 }]);
  });

  it("is limited per visitor and site together with pixel.js hits: past the limit, 429 and a rate_limited drop", async () => {
    if (Date.now() % 60_000 > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 100));
    const ip = "192.0.2.77";
    const batch = JSON.stringify(Array.from({ length: LIMITS.eventsPerRequest }, () => ({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: "https://plausible-app.example/" })));
    for (let sent = 0; sent < PER_MINUTE; sent += LIMITS.eventsPerRequest) {
      expect((await collect(batch, { ip, host: "plausible-app.example" })).response.status).toBe(204);
    }
    const over = await send({ name: "pageview", url: "https://plausible-app.example/", domain: "plausible-app.example" }, { ip });
    expect(over.response.status).toBe(429);
    expect(over.sent).toEqual([]);
    expect(over.drops).toMatchObject([{ site_id: siteId, reason: "rate_limited", hits: 1 }]);
  }, 120_000);

  describe("X-Forwarded-For from server-side senders", () => {
    const event = { name: "pageview", url: "https://plausible-app.example/", domain: "plausible-app.example" };
    const visitorOf = async (forwarded: string, bindings: Parameters<typeof collect>[2] = {}) =>
      (await send(event, { ip: SERVER, headers: { "x-forwarded-for": forwarded } }, bindings)).sent[0]!.visitor_id;

    it("is ignored by default: anyone can write it, so the visitor is the connecting address", async () => {
      expect(await visitorOf("203.0.113.1")).toBe(await visitorOf("203.0.113.2"));
    });

    it("names the visitor only when the sender is listed in PIXEL_TRUSTED_SENDERS", async () => {
      const trusted = { PIXEL_TRUSTED_SENDERS: `192.0.2.1, ${SERVER}` };
      const first = await visitorOf("203.0.113.1", trusted);
      expect(await visitorOf("203.0.113.2", trusted)).not.toBe(first);
      expect(await visitorOf("203.0.113.1, 10.0.0.1", trusted)).toBe(first);
      expect(await visitorOf("not-an-ip", trusted)).toBe(await visitorOf("203.0.113.9"));
      const { sent } = await send(event, { ip: SERVER, headers: { "x-forwarded-for": "203.0.113.1" } }, trusted);
      expect(sent[0]).toMatchObject({ country: "DE", city: "Berlin" });
    });
  });
});
