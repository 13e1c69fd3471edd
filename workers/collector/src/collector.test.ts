import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser } from "@pixel/lib/d1/accounts";
import { checkMessage, type DropMessage, type QueueBody, type QueueMessage } from "@pixel/lib/events/message";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { CHROME_UA, collect, recordingQueue, testEnv, type CollectInit } from "@pixel/test/support/workers/collector";

const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: "shop.example" })).id;
});

const dropped = (drops: DropMessage[]) => drops.map(({ site_id, hostname, reason, detail, hits }) => ({ site_id, hostname, reason, detail, hits }));

const hit = (extra: Record<string, unknown> = {}) => ({
  id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
  name: "pageview",
  url: "https://shop.example/pricing?utm_source=newsletter&utm_medium=email&email=joe@mail.example",
  referrer: "https://www.google.com/search?q=pixel",
  title: "Pricing",
  ...extra,
});

describe("serving pixel.js", () => {
  it("serves the built tracker with an ETag and answers 304 to matching validators", async () => {
    const { response } = await collect(null, { method: "GET", path: "/telemetry/pixel.js" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("javascript");
    const body = await response.text();
    expect(body).toContain("_pixel");
    const etag = response.headers.get("etag")!;
    const validators = { "if-none-match": etag, "if-modified-since": response.headers.get("last-modified")! };
    const again = await collect(null, { method: "GET", path: "/telemetry/pixel.js", headers: validators });
    expect(again.response.status).toBe(304);
  });
});

describe("taking hits", () => {
  it("answers 204 and queues one enriched row per hit, with no IP or raw user agent in it", async () => {
    const { response, sent } = await collect(JSON.stringify([hit(), hit({ name: "signup", props: { plan: "pro", seats: 3 } })]));
    expect(response.status).toBe(204);
    expect(sent).toHaveLength(2);
    const [pageview, signup] = sent as [EventRow, EventRow];
    expect(pageview).toMatchObject({
      site_id: siteId,
      name: "pageview",
      hostname: "shop.example",
      pathname: "/pricing",
      channel: "email",
      utm_source: "newsletter",
      referrer_host: "google.com",
      country: "DE",
      region: "Berlin",
      city: "Berlin",
      asn: 3320,
      browser: "Chrome",
      browser_version: "131",
      os: "Windows",
      device_type: "desktop",
      title: "Pricing",
    });
    expect(pageview.query).not.toContain("joe@mail.example");
    expect(pageview.visitor_id).toMatch(/^\d+$/);
    expect(signup.props).toEqual({ plan: "pro", seats: "3" });
    expect(signup.visitor_id).toBe(pageview.visitor_id);
    const stored = JSON.stringify(sent);
    expect(stored).not.toContain("203.0.113.7");
    expect(stored).not.toContain("Mozilla");
    expect(stored).not.toContain("52.5");
  });

  it("queues a compact row: empty fields are left out, and the flusher's check restores them", async () => {
    const { queued } = await collect(JSON.stringify(hit()));
    expect(queued).toHaveLength(1);
    expect(queued[0]).not.toHaveProperty("user_id");
    expect(queued[0]).not.toHaveProperty("props");
    expect(queued[0]).toMatchObject({ site_id: siteId, utm_source: "newsletter", title: "Pricing" });
    const checked = checkMessage(queued[0]);
    expect(checked.kind).toBe("event");
    expect(checked.kind === "event" && checked.row).toMatchObject({ user_id: "", props: {}, screen_width: 0, utm_source: "newsletter" });
  });

  it("answers 503 with a JSON error when the queue send fails, so the sender sends again", async () => {
    const down = async () => Promise.reject(new Error("queue unavailable"));
    const { response } = await collect(JSON.stringify(hit()), {}, { HITS: { send: down, sendBatch: down } as never });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "the collector could not take this hit; it will be retried" });
  });

  it("queues one request's hits as one packed message, each restored as the flusher reads it", async () => {
    const bodies: QueueBody[] = [];
    const queued: QueueMessage[] = [];
    const hits = [hit(), hit({ name: "signup" }), hit({ name: "click" })];
    const { response } = await collect(JSON.stringify(hits), {}, { HITS: recordingQueue(queued, bodies) });
    expect(response.status).toBe(204);
    expect(bodies).toHaveLength(1);
    expect(queued.map((message) => checkMessage(message)).map((checked) => checked.kind === "event" && checked.row.event_id)).toEqual(hits.map((sent) => sent.id));
  });

  it("with shard bindings, sends each visitor's requests to one shard and spreads visitors over all of them", async () => {
    const shards = Array.from({ length: 4 }, () => ({ bodies: [] as QueueBody[], queued: [] as QueueMessage[] }));
    const bindings = Object.fromEntries(shards.map((shard, i) => [i ? `HITS_${i}` : "HITS", recordingQueue(shard.queued, shard.bodies)]));
    const shardOfRequest = async (ip: string) => {
      const before = shards.map((shard) => shard.bodies.length);
      const { response } = await collect(JSON.stringify([hit(), hit()]), { ip }, bindings);
      expect(response.status).toBe(204);
      const grown = shards.flatMap((shard, i) => (shard.bodies.length > before[i]! ? [i] : []));
      expect(grown).toHaveLength(1);
      expect(shards[grown[0]!]!.bodies.length - before[grown[0]!]!).toBe(1);
      return grown[0]!;
    };
    const visitors = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`);
    const inTurn = async (ips: string[]) => {
      const seen: number[] = [];
      for (const ip of ips) seen.push(await shardOfRequest(ip));
      return seen;
    };
    const first = await inTurn(visitors);
    expect(new Set(first).size).toBe(4);
    expect(await inTurn(visitors.slice(0, 8))).toEqual(first.slice(0, 8));
    expect(shards.reduce((sum, shard) => sum + shard.queued.length, 0)).toBe(96);
  });

  it("gives another visitor id to another IP and parses mobile user agents", async () => {
    const first = await collect(JSON.stringify(hit()), { ip: "198.51.100.1" });
    const second = await collect(JSON.stringify(hit()), { ip: "198.51.100.2", ua: IPHONE_UA });
    expect(second.sent[0]!.visitor_id).not.toBe(first.sent[0]!.visitor_id);
    expect(second.sent[0]).toMatchObject({ os: "iOS", device_type: "mobile", browser: "Mobile Safari" });
  });

  it("drops hits for unknown sites and from bots, saying why and counting them per site and reason", async () => {
    const unknown = await collect(JSON.stringify([hit({ url: "https://elsewhere.example/" }), hit({ url: "https://www.Elsewhere.example/b" }), hit()]));
    expect(unknown.response.status).toBe(204);
    expect(unknown.response.headers.get("x-pixel-dropped")).toBe("unknown_site");
    expect(unknown.sent).toHaveLength(1);
    expect(dropped(unknown.drops)).toEqual([{ site_id: "", hostname: "elsewhere.example", reason: "unknown_site", detail: "", hits: 2 }]);
    const bot = await collect(JSON.stringify([hit(), hit()]), { ua: "Googlebot/2.1 (+http://www.google.com/bot.html)" });
    expect(bot.response.headers.get("x-pixel-dropped")).toBe("bot");
    expect(bot.sent).toHaveLength(0);
    expect(dropped(bot.drops)).toEqual([{ site_id: siteId, hostname: "shop.example", reason: "bot", detail: "user_agent", hits: 2 }]);
  });

  it("stores a purchase's revenue exactly, and keeps a hit whose revenue is wrong without it, counted as invalid_revenue", async () => {
    const good = hit({ name: "purchase", revenue: { amount: "19.99", currency: "EUR" } });
    const wrong = [hit({ name: "purchase", revenue: { amount: "12,50", currency: "EUR" } }), hit({ name: "purchase", revenue: { amount: 5, currency: "eur" } })];
    const { response, sent, drops } = await collect(JSON.stringify([good, ...wrong]));
    expect(response.status).toBe(204);
    expect(response.headers.get("x-pixel-dropped")).toBe("invalid_revenue");
    expect(sent.map((row) => [row.event_id, row.revenue_amount, row.revenue_currency])).toEqual([
      [good.id, "19.99", "EUR"],
      [wrong[0]!.id, "0", ""],
      [wrong[1]!.id, "0", ""],
    ]);
    expect(dropped(drops)).toEqual([
      { site_id: siteId, hostname: "shop.example", reason: "invalid_revenue", detail: "amount", hits: 1 },
      { site_id: siteId, hostname: "shop.example", reason: "invalid_revenue", detail: "currency", hits: 1 },
    ]);
    // Anything else wrong in the hit still refuses it whole.
    expect((await collect(JSON.stringify(hit({ name: "", revenue: { amount: "x", currency: "EUR" } })))).response.status).toBe(400);
  });

  it("counts the hits a sender's store dropped (a hit's lost) as store_full, once per reporting hit", async () => {
    const reporter = hit({ name: "signup", lost: 1500 });
    const { response, sent, drops, queued } = await collect(JSON.stringify([hit(), reporter]));
    expect(response.status).toBe(204);
    expect(response.headers.get("x-pixel-dropped")).toBeNull(); // the hits of this request were all stored
    expect(sent.map((row) => row.name)).toEqual(["pageview", "signup"]);
    expect(drops).toEqual([expect.objectContaining({ drop_id: reporter.id, site_id: siteId, hostname: "shop.example", reason: "store_full", hits: 1500 })]);
    expect(queued).toHaveLength(3); // with the rows, so the sender hears 503 and resends if the queue fails
    // A resend of the same hit carries the same drop id, which dropped_hits collapses like the event itself.
    expect((await collect(JSON.stringify(reporter))).drops).toMatchObject([{ drop_id: reporter.id, hits: 1500 }]);
    // A reporting hit that is not stored reports nothing: it is sent again, or dropped with its own reason.
    const bot = await collect(JSON.stringify(hit({ lost: 2 })), { ua: "Googlebot/2.1 (+http://www.google.com/bot.html)" });
    expect(dropped(bot.drops)).toEqual([{ site_id: siteId, hostname: "shop.example", reason: "bot", detail: "user_agent", hits: 1 }]);
  });

  it("drops hits that run into the site's shields, counted with the shield as detail", async () => {
    await createSite(drizzle(testEnv.DB), { domain: "guarded.example", shields: { ipRanges: ["198.51.100.0/24"], countries: [], paths: ["/admin/*"], hostnames: [] } });
    const page = (path: string) => hit({ url: `https://guarded.example${path}` });
    const fromOffice = await collect(JSON.stringify(page("/")), { ip: "198.51.100.20" });
    expect(fromOffice.response.headers.get("x-pixel-dropped")).toBe("shield");
    expect(fromOffice.sent).toHaveLength(0);
    expect(fromOffice.drops).toMatchObject([{ reason: "shield", detail: "ip", hits: 1 }]);
    const admin = await collect(JSON.stringify([page("/admin/users"), page("/pricing")]));
    expect(admin.sent.map((row) => row.pathname)).toEqual(["/pricing"]);
    expect(admin.drops).toMatchObject([{ reason: "shield", detail: "path", hits: 1 }]);
  });

  it.each([
    ["automation", { ua: `${CHROME_UA} Puppeteer` }],
    ["datacenter", { cf: { asn: 16509, asOrganization: "AMAZON-02" } }],
    ["verified_bot", { cf: { botManagement: { verifiedBot: true, score: 99 } } }],
    ["bot_management", { cf: { botManagement: { verifiedBot: false, score: 1 } } }],
  ] as [string, CollectInit][])("drops a %s bot", async (detail, init) => {
    const { response, sent, drops } = await collect(JSON.stringify(hit()), init);
    expect(response.status).toBe(204);
    expect(sent).toHaveLength(0);
    expect(dropped(drops)).toEqual([{ site_id: siteId, hostname: "shop.example", reason: "bot", detail, hits: 1 }]);
  });

  it.each([
    ["not JSON", "{oops", 400, "JSON"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 400, "UTF-8"],
    ["a wrong type", JSON.stringify(hit({ name: 42 })), 400, "name"],
    ["a relative url", JSON.stringify(hit({ url: "/pricing" })), 400, "url"],
    ["a prototype key", `{"id":"evt_12345678","name":"x","url":"https://shop.example/","props":{"__proto__":"x"}}`, 400, "__proto__"],
    ["an unknown field", JSON.stringify(hit({ ip: "1.2.3.4" })), 400, "ip"],
    ["lost of 0", JSON.stringify(hit({ lost: 0 })), 400, "lost"],
    ["lost as a fraction", JSON.stringify(hit({ lost: 1.5 })), 400, "lost"],
    ["lost over its limit", JSON.stringify(hit({ lost: 1_000_001 })), 400, "lost"],
    ["props as an array", JSON.stringify([hit(), hit({ props: ["a"] })]), 400, "1.props"],
    ["too many hits", JSON.stringify(Array.from({ length: 51 }, () => hit())), 400, "50"],
    ["an empty batch", "[]", 400, "at least one"],
    ["a huge body", JSON.stringify(hit({ title: "x".repeat(70_000) })), 413, "bytes"],
  ])("refuses %s with a JSON error, and counts it for the sending site", async (_, body, status, mentions) => {
    const { response, sent, drops } = await collect(body as BodyInit, { headers: { origin: "https://www.shop.example" } });
    expect(response.status).toBe(status);
    const error = ((await response.json()) as { error: string }).error;
    expect(error).toContain(mentions);
    expect(sent).toHaveLength(0);
    const reason = status === 413 ? "too_large" : "invalid";
    expect(dropped(drops)).toEqual([{ site_id: siteId, hostname: "shop.example", reason, detail: "", hits: 1 }]);
  });

  it("counts a refused body from an unknown page under its hostname, and one without origin under none", async () => {
    const foreign = await collect("{oops", { headers: { referer: "https://spam.example/x" } });
    expect(dropped(foreign.drops)).toEqual([{ site_id: "", hostname: "spam.example", reason: "invalid", detail: "", hits: 1 }]);
    const anonymous = await collect("{oops");
    expect(dropped(anonymous.drops)).toEqual([{ site_id: "", hostname: "", reason: "invalid", detail: "", hits: 1 }]);
  });

  it.each([
    ["desktop", CHROME_UA, { browser: "Chrome", browser_version: "131", os: "Windows", os_version: "10", device_type: "desktop" }],
    ["mobile", IPHONE_UA, { browser: "Mobile Safari", browser_version: "17", os: "iOS", os_version: "17.5", device_type: "mobile", device_vendor: "Apple", device_model: "iPhone", webview: "" }],
    [
      "Instagram in-app",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.1.1.28.108 (iPhone13,3; iOS 17_1_2; en_US; en; scale=3.00; 1170x2532; 537288532)",
      { os: "iOS", device_type: "mobile", webview: "Instagram" },
    ],
    [
      "Android WebView",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UD1A.230803.041; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.43 Mobile Safari/537.36",
      { os: "Android", device_type: "mobile", webview: "Android WebView" },
    ],
    [
      "tablet",
      "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      { browser: "Chrome", os: "Android", os_version: "14", device_type: "tablet", device_vendor: "Samsung", device_model: "SM-X710" },
    ],
  ])("parses a %s user agent", async (_, ua, software) => {
    const { sent } = await collect(JSON.stringify(hit()), { ua });
    expect(sent[0]).toMatchObject(software);
  });

  it("answers CORS only for the site's own origins", async () => {
    const own = await collect(JSON.stringify(hit()), { headers: { origin: "https://www.shop.example" } });
    expect(own.response.headers.get("access-control-allow-origin")).toBe("https://www.shop.example");
    const foreign = await collect(JSON.stringify(hit()), { headers: { origin: "https://evil.example" } });
    expect(foreign.response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("takes a hit from the GIF pixel's query string, with the Referer as the page by default", async () => {
    const query = new URLSearchParams({ n: "newsletter_open", t: "November", "p.issue": "42", id: "mail_1234567890" });
    const { response, sent } = await collect(null, { method: "GET", path: `/telemetry/e.gif?${query}`, headers: { referer: "https://shop.example/mail?email=joe@mail.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode("GIF89a"));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ site_id: siteId, name: "newsletter_open", title: "November", event_id: "mail_1234567890", pathname: "/mail", props: { issue: "42" } });
    expect(sent[0]!.query).not.toContain("joe@");
  });

  it.each([
    ["no page at all", "n=pageview", "u:"],
    ["an unknown parameter", "u=https%3A%2F%2Fshop.example%2F&ip=1.2.3.4", "ip"],
    ["a prototype prop", "u=https%3A%2F%2Fshop.example%2F&p.__proto__=x", "__proto__"],
    ["a wrong type", "u=https%3A%2F%2Fshop.example%2F&w=wide", "screen_width"],
  ])("refuses a GIF pixel hit with %s, as JSON", async (_, query, mentions) => {
    const { response, sent, drops } = await collect(null, { method: "GET", path: `/telemetry/e.gif?${query}` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(mentions);
    expect(sent).toHaveLength(0);
    expect(dropped(drops)).toEqual([{ site_id: "", hostname: "", reason: "invalid", detail: "", hits: 1 }]);
  });

  it("links one device's hits on two sites of the same owner to one visitor (identity: 'device')", async () => {
    const db = drizzle(testEnv.DB);
    const owner = await createUser(db, { email: `owner-${crypto.randomUUID()}@example.com`, password: "a-long-enough-password" });
    await createSite(db, { domain: "blog.example", ownerId: owner.id });
    await createSite(db, { domain: "docs.example", ownerId: owner.id });
    const device = `dev_${crypto.randomUUID().replaceAll("-", "")}`;
    const onBlog = await collect(JSON.stringify(hit({ url: "https://blog.example/", device })), { ip: "198.51.100.20" });
    const onDocs = await collect(JSON.stringify(hit({ url: "https://docs.example/", device })), { ip: "198.51.100.21" });
    const withoutDevice = await collect(JSON.stringify(hit({ url: "https://docs.example/" })), { ip: "198.51.100.22" });
    expect(onDocs.sent[0]!.visitor_id).toBe(onBlog.sent[0]!.visitor_id);
    expect(withoutDevice.sent[0]!.visitor_id).not.toBe(onBlog.sent[0]!.visitor_id);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const { response } = await collect(null, { method: "GET", path: "/telemetry/nope" });
    expect(response.status).toBe(404);
    expect(await response.json()).toHaveProperty("error");
  });
});
