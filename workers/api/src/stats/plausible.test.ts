import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import { goals, type Site, type User } from "@pixel/lib/d1/schema";
import { addDays } from "@pixel/lib/time";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import type { ApiContext, ApiEnv, Caller } from "../env";
import { statsRoutes } from "./routes";

/** What a Plausible Stats API v2 client sends, answered as Plausible would (docs/stats-api.md, "Coming from Plausible"). */

const apiEnv = env as unknown as ApiEnv;
const unique = crypto.randomUUID().slice(0, 8);
const at = (iso: string) => Date.parse(iso);
let site: Site;
let other: Site;

function appFor(caller: Caller & { user: User }) {
  return new Hono<ApiContext>()
    .use(async (c, next) => {
      c.set("user", caller.user);
      c.set("caller", caller);
      await next();
    })
    .route("/", statsRoutes);
}
const admin = { id: `plausible_${unique}`, email: `plausible-${unique}@pixel.test`, role: "admin" } as User;
const asAdmin = appFor({ kind: "user", user: admin });
const keyCaller = { kind: "key" as const, keyId: `k_${unique}`, user: admin, siteIds: [] as string[] };
const withKeyForSite = appFor(keyCaller);

beforeAll(async () => {
  const db = drizzle(apiEnv.DB);
  site = await createSite(db, { domain: `plausible-${unique}.example`, timezone: "Europe/Berlin" });
  other = await createSite(db, { domain: `other-${unique}.example`, timezone: "UTC" });
  keyCaller.siteIds.push(site.id);
  await db.insert(goals).values([{ id: `pg1_${unique}`, siteId: site.id, kind: "event", eventName: "signup", displayName: "Signup" }]);
  const s = site.id;
  const client = adminClickHouse(apiEnv);
  await insertEvents(client, [
    // Visit 1 from google: two pages and a signup.
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/", referrer_host: "google.com", timestamp: at("2026-11-20T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/docs", timestamp: at("2026-11-20T10:01:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", name: "signup", pathname: "/docs", timestamp: at("2026-11-20T10:03:00Z") }),
    // Visit 2 from google: one page. Visit 3, direct: one page.
    eventRow({ site_id: s, visitor_id: "2", session_id: "22", pathname: "/", referrer_host: "google.com", timestamp: at("2026-11-21T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "3", session_id: "33", pathname: "/docs", timestamp: at("2026-11-22T10:00:00Z") }),
  ]);
  await client.close();
});

async function post(app: Hono<ApiContext>, body: Record<string, unknown>) {
  const response = await app.request("/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, apiEnv);
  return { status: response.status, json: (await response.json()) as { error?: string; results: unknown[]; meta: Record<string, unknown>; query: Record<string, unknown> } };
}
const november = ["2026-11-01", "2026-11-30"];
const query = (body: Record<string, unknown>) => post(asAdmin, { site_id: site.domain, date_range: november, ...body });

describe("site_id", () => {
  it("takes the site's domain as well as its id, with the same answer", async () => {
    const byDomain = await query({ metrics: ["visitors"] });
    const byId = await query({ metrics: ["visitors"], site_id: site.id });
    expect(byDomain.status).toBe(200);
    expect(byDomain.json.results).toEqual([{ dimensions: [], metrics: [3] }]);
    expect(byDomain.json).toEqual(byId.json);
  });

  it("finds by domain only the sites the caller may read", async () => {
    expect((await post(withKeyForSite, { site_id: site.domain, date_range: november, metrics: ["visitors"] })).status).toBe(200);
    const forbidden = await post(withKeyForSite, { site_id: other.domain, date_range: november, metrics: ["visitors"] });
    expect(forbidden.status).toBe(404);
    expect(forbidden.json.error).toBe(`site_id: no site ${other.domain} that you can see`);
  });

  it("lets a share link name its own site by domain, and no other", async () => {
    const shared = new Hono<ApiContext>()
      .use(async (c, next) => {
        c.set("caller", { kind: "share", site });
        await next();
      })
      .route("/", statsRoutes);
    expect((await post(shared, { site_id: site.domain, date_range: november, metrics: ["visitors"] })).json.results).toEqual([{ dimensions: [], metrics: [3] }]);
    expect((await post(shared, { site_id: other.domain, date_range: november, metrics: ["visitors"] })).status).toBe(404);
  });
});

describe("date_range", () => {
  it.each([["10d", 10], ["91d", 91], ["1d", 1]])("takes %s as that many whole days ending today", async (range, days) => {
    const today = new Date().toISOString().slice(0, 10);
    const answer = await post(asAdmin, { site_id: other.domain, date_range: range, metrics: ["visitors"] });
    expect(answer.status).toBe(200);
    expect(answer.json.query.date_range).toEqual([addDays(today, 1 - days), today]);
  });

  it("takes ISO 8601 date-times with offsets, the end second included, on the site's wall clock", async () => {
    // 12:00:00+02:00 to 12:00:59+02:00 is 10:00:00Z to 10:00:59Z: visit 1's first pageview, not its second at 10:01.
    const answer = await query({ metrics: ["visitors", "pageviews"], date_range: ["2026-11-20T12:00:00+02:00", "2026-11-20T12:00:59+02:00"] });
    expect(answer.status).toBe(200);
    expect(answer.json.results).toEqual([{ dimensions: [], metrics: [1, 1] }]);
    expect(answer.json.query.date_range).toEqual(["2026-11-20T11:00:00", "2026-11-20T11:01:00"]);
    const utc = await query({ metrics: ["pageviews"], date_range: ["2026-11-20T10:00:00Z", "2026-11-20T10:01:00.000Z"] });
    expect(utc.json.results).toEqual([{ dimensions: [], metrics: [2] }]);
  });

  it.each([["0d"], ["10days"], [["2026-11-20T12:00:00+25:00", "2026-11-20T13:00:00+02:00"]], [["2026-11-20T12:00:00+02:00", "2026-11-20"]]])(
    "refuses %j with a 400",
    async (date_range) => {
      const answer = await query({ metrics: ["visitors"], date_range });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toContain("date_range");
    },
  );
});

describe("include.imports", () => {
  it("is accepted and answered with meta.imports_included: imports are always merged in", async () => {
    const answer = await query({ metrics: ["visitors"], include: { imports: true } });
    expect(answer.status).toBe(200);
    expect(answer.json.meta).toEqual({ imports_included: true });
    expect((await query({ metrics: ["visitors"] })).json.meta).toEqual({});
  });
});

describe("conversion_rate", () => {
  it("with a goal filter and no event:goal dimension: converted visitors over all the range's visitors", async () => {
    const total = await query({ metrics: ["visitors", "conversion_rate"], filters: [["is", "event:goal", ["Signup"]]] });
    expect(total.status).toBe(200);
    expect(total.json.results).toEqual([{ dimensions: [], metrics: [1, 100 / 3] }]);
    const bySource = await query({ metrics: ["visitors", "conversion_rate"], dimensions: ["visit:source"], filters: [["is", "event:goal", ["Signup"]]] });
    expect(bySource.json.results).toEqual([{ dimensions: ["google.com"], metrics: [1, 100 / 3] }]);
  });
});

describe("refusals Plausible makes too", () => {
  it.each([
    [{ metrics: ["visitors", "visitors"] }, "metrics: visitors is repeated"],
    [{ metrics: ["visitors"], filters: [["or", [["is", "event:goal", ["Signup"]], ["is", "event:page", ["/"]]]]] }, "filters[0]: filter event:goal at the top level only"],
    [{ metrics: ["visitors"], filters: [["not", ["is", "event:hostname", ["x.example"]]]] }, "filters[0]: filter event:hostname at the top level only"],
    [{ metrics: ["visitors"], include: { time_labels: true } }, "include.time_labels: needs a time dimension"],
    [{ metrics: ["visitors"], filters: [["is", "event:goal", ["Signup", "Purchase"]]] }, 'filters[0]: the goal "Purchase" is not configured for this site'],
    [{ metrics: ["conversion_rate"] }, "conversion_rate needs the event:goal dimension or an event:goal filter"],
  ])("refuses %j with a 400 saying why", async (body, message) => {
    const answer = await query(body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toContain(message);
  });

  it("still takes a goal inside has_done, and goals matched by pattern that no goal is named", async () => {
    expect((await query({ metrics: ["visitors"], filters: [["has_done", ["is", "event:goal", ["Signup"]]]] })).json.results).toEqual([{ dimensions: [], metrics: [1] }]);
    expect((await query({ metrics: ["visitors"], filters: [["contains", "event:goal", ["Purch"]]] })).json.results).toEqual([{ dimensions: [], metrics: [0] }]);
    expect((await query({ metrics: ["visitors"], filters: [["is", "event:goal", ["signup"], { case_sensitive: false }]] })).status).toBe(200);
  });
});
