import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { isDrop } from "@pixel/lib/events/message";
import { LIMITS } from "@pixel/lib/events/hit";
import { collect, testEnv } from "@pixel/test/support/workers/collector";
import { limitedAddress } from "./limits";

/** wrangler.toml: [[ratelimits]] REFUSED_LIMIT, simple = { limit = 120, period = 60 }. */
const REFUSED_PER_MINUTE = 120;

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: "abused.example" })).id;
});

const hit = (host = "abused.example") => ({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: `https://${host}/` });

/** The limiters count per clock minute: start well inside one, so a test never straddles two. */
async function startOfAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 30_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}

describe("drop counts", () => {
  it("sends one drop message per request, however many hostnames and reasons its dropped hits name", async () => {
    const hosts = ["one.unknown.example", "two.unknown.example", "three.unknown.example"];
    const { response, queued, drops } = await collect(JSON.stringify([...hosts.map((host) => hit(host)), hit(), hit("one.unknown.example")]), {
      host: "abused.example",
      ip: "192.0.2.50",
    });
    expect(response.status).toBe(204);
    expect(queued.filter(isDrop)).toHaveLength(1);
    expect(queued.filter((message) => !isDrop(message))).toHaveLength(1);
    expect(drops.map(({ hostname, hits }) => [hostname, hits])).toEqual([
      ["one.unknown.example", 2],
      ["two.unknown.example", 1],
      ["three.unknown.example", 1],
    ]);
    expect(new Set(drops.map((drop) => drop.drop_id)).size).toBe(3);
  });
});

describe("distinct hostnames per request", () => {
  it(`refuses hits for more than ${LIMITS.hostnamesPerRequest} hostnames with a 400 naming the limit, counted as invalid`, async () => {
    const hosts = ["a", "b", "c", "d", "e", "f"].map((label) => `${label}.unknown.example`);
    const { response, sent, drops } = await collect(JSON.stringify(hosts.map((host) => hit(host))), { headers: { origin: "https://abused.example" }, ip: "192.0.2.51" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: `hits name 6 hostnames; one request takes hits for at most ${LIMITS.hostnamesPerRequest}` });
    expect(sent).toEqual([]);
    expect(drops).toMatchObject([{ site_id: siteId, reason: "invalid", detail: "hostnames", hits: 1 }]);
  });

  it("takes five hostnames, counting www. and letter case as one", async () => {
    const hosts = ["abused.example", "www.abused.example", "WWW.Abused.example", "b.abused.example", "c.abused.example", "d.abused.example", "e.abused.example"];
    const { response, sent } = await collect(JSON.stringify(hosts.map((host) => hit(host))), { ip: "192.0.2.52" });
    expect(response.status).toBe(204);
    expect(sent).toHaveLength(hosts.length);
  });
});

describe("a body without Content-Length", () => {
  it("is read as a stream and cut at the size limit: 413, and the rest is never read", async () => {
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += chunk.byteLength;
          controller.enqueue(chunk.slice());
          if (pulled >= 64 * 1024 * 1024) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const { response, sent, drops } = await collect(endless, { ip: "192.0.2.53" });
    expect(response.status).toBe(413);
    expect((await response.json<{ error: string }>()).error).toContain(`${LIMITS.bodyBytes} bytes`);
    expect(pulled).toBeLessThanOrEqual(LIMITS.bodyBytes + 4 * chunk.byteLength);
    expect(sent).toEqual([]);
    expect(drops).toMatchObject([{ reason: "too_large", hits: 1 }]);
  });

  it("is refused unread when its declared Content-Length is over the limit", async () => {
    let pulled = 0;
    const pull = (controller: ReadableStreamDefaultController<Uint8Array>) => {
      pulled++;
      controller.enqueue(new Uint8Array(1024));
    };
    const body = new ReadableStream<Uint8Array>({ pull }, { highWaterMark: 0 });
    const { response } = await collect(body, { ip: "192.0.2.55", headers: { "content-length": String(LIMITS.bodyBytes + 1) } });
    expect(response.status).toBe(413);
    expect(pulled).toBe(0);
  });

  it("is taken when it fits", async () => {
    const body = new Blob([JSON.stringify([hit(), hit()])]).stream();
    const { response, sent } = await collect(body, { ip: "192.0.2.54" });
    expect(response.status).toBe(204);
    expect(sent).toHaveLength(2);
  });
});

describe("rate limiting refused traffic", () => {
  it("answers 429 once an address has sent too many requests of which nothing is stored, and stops counting them", async () => {
    await startOfAMinute();
    const ip = "192.0.2.60";
    for (let i = 0; i < REFUSED_PER_MINUTE; i++) {
      const junk = i % 2 ? await collect("{oops", { ip }) : await collect(JSON.stringify(hit("nowhere.example")), { ip });
      expect(junk.response.status).toBe(i % 2 ? 400 : 204);
      expect(junk.queued).toHaveLength(1);
    }
    for (const body of ["{oops", JSON.stringify(hit("nowhere.example"))]) {
      const over = await collect(body, { ip });
      expect(over.response.status).toBe(429);
      expect(over.response.headers.get("retry-after")).toBe("60");
      expect((await over.response.json<{ error: string }>()).error).toMatch(/limit of refused requests per minute/);
      expect(over.queued).toEqual([]);
    }
    expect((await collect(JSON.stringify(hit()), { ip })).response.status).toBe(204);
    expect((await collect("{oops", { ip: "192.0.2.61" })).response.status).toBe(400);
  }, 120_000);
});

describe("IPv6 visitors", () => {
  it("are limited by their /64: another address in it shares the limit, another /64 does not", async () => {
    await startOfAMinute();
    for (let sent = 0; sent < 600; sent += LIMITS.eventsPerRequest) {
      const { response } = await collect(JSON.stringify(Array.from({ length: LIMITS.eventsPerRequest }, () => hit())), { ip: "2001:db8:a:b::1" });
      expect(response.status).toBe(204);
    }
    const sameNetwork = await collect(JSON.stringify(hit()), { ip: "2001:db8:a:b:ffff:1:2:3" });
    expect(sameNetwork.response.status).toBe(429);
    expect(sameNetwork.drops).toMatchObject([{ reason: "rate_limited", hits: 1 }]);
    expect((await collect(JSON.stringify(hit()), { ip: "2001:db8:a:c::1" })).response.status).toBe(204);
    expect((await collect(JSON.stringify(hit()), { ip: "192.0.2.70" })).response.status).toBe(204);
  }, 120_000);

  it.each([
    ["2001:db8:a:b::1", "2001:db8:a:b::/64"],
    ["2001:0DB8:000a:000b:1:2:3:4", "2001:db8:a:b::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["198.51.100.7", "198.51.100.7"],
  ])("keys %s as %s", (ip, key) => {
    expect(limitedAddress(ip)).toBe(key);
  });
});
