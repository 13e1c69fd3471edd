import { createExecutionContext, env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "../../../lib/d1/accounts";
import type { EventRow } from "../../../lib/events/row";
import type { CollectorEnv } from "./env";
import worker from "./index";

const testEnv = env as unknown as CollectorEnv;
const CHROME_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const CF = { country: "DE", regionCode: "BE", region: "Berlin", city: "Berlin", continent: "EU", timezone: "Europe/Berlin", asn: 3320, asOrganization: "Deutsche Telekom", latitude: "52.5", longitude: "13.4", postalCode: "10115" };

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: "shop.example" })).id;
});

/** The real collector in workerd, with D1 and the salts Durable Object; only the queue is a recorder. */
async function collect(body: BodyInit | null, init: { ua?: string; ip?: string; path?: string; method?: string; headers?: Record<string, string> } = {}) {
  const sent: EventRow[] = [];
  const queue = { sendBatch: async (messages: { body: EventRow }[]) => void sent.push(...messages.map((m) => m.body)) };
  const request = new Request(`https://shop.example${init.path ?? "/telemetry/e"}`, {
    method: init.method ?? "POST",
    body,
    headers: { "content-type": "text/plain", "user-agent": init.ua ?? CHROME_UA, "cf-connecting-ip": init.ip ?? "203.0.113.7", ...init.headers },
    cf: CF,
  } as RequestInit);
  const response = await worker.fetch(request as never, { ...testEnv, HITS: queue as never }, createExecutionContext());
  return { response, sent };
}

const hit = (extra: Record<string, unknown> = {}) => ({
  id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
  name: "pageview",
  url: "https://shop.example/pricing?utm_source=newsletter&utm_medium=email&email=joe@mail.example",
  referrer: "https://www.google.com/search?q=pixel",
  title: "Pricing",
  ...extra,
});

describe("serving pixel.js", () => {
  it("serves the built tracker with an ETag and answers 304 to a matching If-None-Match", async () => {
    const { response } = await collect(null, { method: "GET", path: "/telemetry/pixel.js" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("javascript");
    const body = await response.text();
    expect(body).toContain("_pixel");
    const etag = response.headers.get("etag")!;
    const again = await collect(null, { method: "GET", path: "/telemetry/pixel.js", headers: { "if-none-match": etag } });
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

  it("gives another visitor id to another IP and parses mobile user agents", async () => {
    const first = await collect(JSON.stringify(hit()), { ip: "198.51.100.1" });
    const second = await collect(JSON.stringify(hit()), { ip: "198.51.100.2", ua: IPHONE_UA });
    expect(second.sent[0]!.visitor_id).not.toBe(first.sent[0]!.visitor_id);
    expect(second.sent[0]).toMatchObject({ os: "iOS", device_type: "mobile", browser: "Mobile Safari" });
  });

  it("drops hits for unknown sites and from bots, saying why", async () => {
    const unknown = await collect(JSON.stringify(hit({ url: "https://elsewhere.example/" })));
    expect(unknown.response.status).toBe(204);
    expect(unknown.response.headers.get("x-pixel-dropped")).toBe("unknown-site");
    expect(unknown.sent).toHaveLength(0);
    const bot = await collect(JSON.stringify(hit()), { ua: "Googlebot/2.1 (+http://www.google.com/bot.html)" });
    expect(bot.response.headers.get("x-pixel-dropped")).toBe("bot");
    expect(bot.sent).toHaveLength(0);
  });

  it.each([
    ["not JSON", "{oops", 400, "JSON"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 400, "UTF-8"],
    ["a wrong type", JSON.stringify(hit({ name: 42 })), 400, "name"],
    ["a relative url", JSON.stringify(hit({ url: "/pricing" })), 400, "url"],
    ["a prototype key", `{"id":"evt_12345678","name":"x","url":"https://shop.example/","props":{"__proto__":"x"}}`, 400, "__proto__"],
    ["an unknown field", JSON.stringify(hit({ ip: "1.2.3.4" })), 400, "ip"],
    ["too many hits", JSON.stringify(Array.from({ length: 51 }, () => hit())), 400, "50"],
    ["an empty batch", "[]", 400, "at least one"],
    ["a huge body", JSON.stringify(hit({ title: "x".repeat(70_000) })), 413, "bytes"],
  ])("refuses %s with a JSON error", async (_, body, status, mentions) => {
    const { response, sent } = await collect(body as BodyInit);
    expect(response.status).toBe(status);
    const error = ((await response.json()) as { error: string }).error;
    expect(error).toContain(mentions);
    expect(sent).toHaveLength(0);
  });

  it("answers CORS only for the site's own origins", async () => {
    const own = await collect(JSON.stringify(hit()), { headers: { origin: "https://www.shop.example" } });
    expect(own.response.headers.get("access-control-allow-origin")).toBe("https://www.shop.example");
    const foreign = await collect(JSON.stringify(hit()), { headers: { origin: "https://evil.example" } });
    expect(foreign.response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers unknown routes with a JSON 404", async () => {
    const { response } = await collect(null, { method: "GET", path: "/telemetry/nope" });
    expect(response.status).toBe(404);
    expect(await response.json()).toHaveProperty("error");
  });
});
