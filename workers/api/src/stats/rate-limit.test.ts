import { describe, expect, it } from "vitest";
import { accessWorld, call } from "@pixel/test/support/workers/api";

/** workers/api/wrangler.toml: [[ratelimits]] STATS_LIMIT 300 and SHARE_LIMIT 600 per 60 seconds. */
const PER_CALLER = 300;
const PER_SHARE_LINK = 600;

/** The limiter counts per clock minute: start well inside one, so the test never straddles two. */
async function startOfAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 25_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}

/** A stats request that costs no query: its body is refused after the caller and the rate limit are checked. */
const cheap = (auth: { cookie?: string; headers?: Record<string, string> }) => call("/v2/realtime", { ...auth, body: {} });

async function spend(count: number, auth: { cookie?: string; headers?: Record<string, string> }) {
  for (let i = 0; i < count; i++) expect((await cheap(auth)).status).toBe(400);
}

async function expectLimited(auth: { cookie?: string; headers?: Record<string, string> }, limit: RegExp) {
  const over = await cheap(auth);
  expect(over.status).toBe(429);
  expect(over.headers.get("retry-after")).toBe("60");
  expect(over.json.error).toMatch(limit);
}

describe("rate limits on stats requests", () => {
  it("refuses the request after the limit per user, per API key and per share link with a 429; other callers go on", async () => {
    const { a, owner, viewer, globalAdmin } = await accessWorld();
    const key = (await call("/keys", { cookie: globalAdmin.cookie, body: { name: "script", siteIds: [a.id] } })).json.token;
    const share = (await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST" })).json.token;
    const asKey = { headers: { authorization: `Bearer ${key}` } };
    const asShare = { headers: { authorization: `Bearer ${share}` } };
    await startOfAMinute();

    await spend(PER_CALLER, { cookie: owner.cookie });
    await expectLimited({ cookie: owner.cookie }, /your limit of stats requests per minute/);
    const answered = await call("/v2/query", { cookie: owner.cookie, body: { site_id: a.id, metrics: ["visitors"], date_range: "day" } });
    expect(answered.status).toBe(429);

    expect((await cheap({ cookie: viewer.cookie })).status).toBe(400);
    expect((await cheap({ cookie: globalAdmin.cookie })).status).toBe(400);
    await spend(PER_CALLER, asKey);
    await expectLimited(asKey, /this API key's limit of stats requests per minute/);
    expect((await cheap({ cookie: globalAdmin.cookie })).status).toBe(400);

    await spend(PER_SHARE_LINK, asShare);
    await expectLimited(asShare, /this share link's limit of stats requests per minute/);
    expect((await cheap({ cookie: viewer.cookie })).status).toBe(400);
  }, 120_000);
});
