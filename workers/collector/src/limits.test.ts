import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { LIMITS } from "@pixel/lib/events/hit";
import { collect, testEnv } from "@pixel/test/support/workers/collector";

/** wrangler.toml: [[ratelimits]] VISITOR_LIMIT, simple = { limit = 600, period = 60 }. */
const PER_MINUTE = 600;

let limitedSite = "";
let quietSite = "";
beforeAll(async () => {
  limitedSite = (await createSite(drizzle(testEnv.DB), { domain: "busy.example" })).id;
  quietSite = (await createSite(drizzle(testEnv.DB), { domain: "quiet.example" })).id;
});

const hits = (count: number, host = "busy.example") =>
  JSON.stringify(Array.from({ length: count }, () => ({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: `https://${host}/` })));

/** The limiter counts per clock minute: start well inside one, so the test never straddles two. */
async function startOfAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}

/** Sends `count` hits from one visitor in full requests; every one must be taken. */
async function sendAllowed(count: number, ip: string) {
  for (let sent = 0; sent < count; sent += LIMITS.eventsPerRequest) {
    const { response } = await collect(hits(Math.min(LIMITS.eventsPerRequest, count - sent)), { ip, host: "busy.example" });
    expect(response.status).toBe(204);
  }
}

describe("rate limiting hits per visitor and site", () => {
  it("answers the hit after the limit with 429 and counts it as rate_limited; other visitors and sites go on", async () => {
    await startOfAMinute();
    await sendAllowed(PER_MINUTE, "192.0.2.10");

    const over = await collect(hits(1), { ip: "192.0.2.10", host: "busy.example" });
    expect(over.response.status).toBe(429);
    expect(over.response.headers.get("x-pixel-dropped")).toBe("rate_limited");
    expect((await over.response.json<{ error: string }>()).error).toMatch(/limit of hits per minute/);
    expect(over.sent).toEqual([]);
    expect(over.drops).toMatchObject([{ site_id: limitedSite, hostname: "busy.example", reason: "rate_limited", hits: 1 }]);

    expect((await collect(hits(1), { ip: "192.0.2.11", host: "busy.example" })).response.status).toBe(204);
    const elsewhere = await collect(hits(1, "quiet.example"), { ip: "192.0.2.10", host: "quiet.example" });
    expect(elsewhere.response.status).toBe(204);
    expect(elsewhere.sent).toHaveLength(1);
  }, 120_000);

  it("stores the hits of a batch that fit under the limit and counts the rest", async () => {
    await startOfAMinute();
    await sendAllowed(PER_MINUTE - 10, "192.0.2.20");
    const batch = await collect(hits(25), { ip: "192.0.2.20", host: "busy.example" });
    expect(batch.response.status).toBe(429);
    expect(batch.sent).toHaveLength(10);
    expect(batch.drops).toMatchObject([{ reason: "rate_limited", hits: 15 }]);
  }, 120_000);

  it("never limits on the raw IP: the key is the site and the daily IP hash", async () => {
    const keys: string[] = [];
    const spy = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: true }) } as RateLimit;
    const { response } = await collect(hits(1, "quiet.example"), { ip: "192.0.2.30", host: "quiet.example" }, { VISITOR_LIMIT: spy });
    expect(response.status).toBe(204);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${quietSite}:\\d+$`));
    expect(keys[0]).not.toContain("192.0.2.30");
  });
});
