import { describe, expect, it } from "vitest";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { createSite } from "@pixel/lib/d1/accounts";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { apiEnv, call, db, signedInUser, unique } from "@pixel/test/support/workers/api";

const t0 = Date.parse("2026-11-20T10:00:00Z");
const november = ["2026-11-01", "2026-11-30"];

/** Three visits: engagement on /docs at 5 %, 55 % then 100 % (deepest counts), 100 %; props on events and a pageview. */
async function reportsWorld() {
  const { user, cookie } = await signedInUser();
  const site = await createSite(db(), { domain: `${unique("reports")}.example`, timezone: "UTC", ownerId: user.id });
  const hit = (session: string, seconds: number, fields: Parameters<typeof eventRow>[0]) =>
    eventRow({ site_id: site.id, session_id: session, visitor_id: `1${session}`, timestamp: t0 + seconds * 1000, ...fields });
  await insertEvents(adminClickHouse(apiEnv), [
    hit("1", 0, { pathname: "/docs", props: { author: "ann" } }),
    hit("1", 5, { name: "engagement", pathname: "/docs", scroll_depth: 5 }),
    hit("1", 9, { name: "Signup", pathname: "/docs", props: { plan: "pro", author: "ann" } }),
    hit("2", 0, { pathname: "/docs", country: "FR" }),
    hit("2", 5, { name: "engagement", pathname: "/docs", scroll_depth: 55, props: { ignored: "engagement" } }),
    hit("2", 9, { name: "engagement", pathname: "/docs", scroll_depth: 100 }),
    hit("2", 20, { name: "engagement", pathname: "/", scroll_depth: 30 }),
    hit("3", 0, { pathname: "/docs" }),
    hit("3", 5, { name: "engagement", pathname: "/docs", scroll_depth: 100 }),
    hit("3", 9, { name: "Signup", pathname: "/docs", props: { plan: "free" } }),
  ]);
  const post = (path: string, body: object, who = cookie) => call(path, { cookie: who, body: { site_id: site.id, date_range: november, ...body } });
  return { site, post };
}

const bucketsOf = (answer: { buckets: { visits: number }[] }) => answer.buckets.map((bucket) => bucket.visits);

describe("property keys", { timeout: 30_000 }, () => {
  it("lists the keys the site's events carry in range, by visitors, without engagement hits", async () => {
    const { post } = await reportsWorld();
    const answer = await post("/v2/property-keys", {});
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      keys: [
        { key: "plan", visitors: 2, events: 2 },
        { key: "author", visitors: 1, events: 2 },
      ],
      date_range: november,
    });
    const french = await post("/v2/property-keys", { filters: [["is", "visit:country", ["FR"]]] });
    expect(french.json.keys).toEqual([]);
    expect((await post("/v2/property-keys", { date_range: ["2026-10-01", "2026-10-31"] })).json.keys).toEqual([]);
  });

  it("answers each value of a key with visitors, events and the share of the site's visitors through the query language", async () => {
    const { post } = await reportsWorld();
    const byPlan = await post("/v2/query", { metrics: ["visitors", "events", "percentage"], dimensions: ["event:props:plan"], order_by: [["event:props:plan", "asc"]] });
    expect(byPlan.json.results).toEqual([
      { dimensions: [""], metrics: [3, 3, 100] },
      { dimensions: ["free"], metrics: [1, 1, 33.333333333333336] },
      { dimensions: ["pro"], metrics: [1, 1, 33.333333333333336] },
    ]);
  });
});

describe("scroll depth distribution", { timeout: 30_000 }, () => {
  it("counts each visit of the page once, at its deepest scroll there, in buckets of 10 points", async () => {
    const { post } = await reportsWorld();
    const answer = await post("/v2/scroll-depth", { page: "/docs" });
    expect(answer.status).toBe(200);
    expect(answer.json.page).toBe("/docs");
    expect(answer.json.visits).toBe(3);
    expect(bucketsOf(answer.json)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(answer.json.buckets[0]).toEqual({ from: 0, to: 10, visits: 1, percentage: 33.33 });
    expect(answer.json.buckets[9]).toEqual({ from: 90, to: 100, visits: 2, percentage: 66.67 });
    expect(answer.json.date_range).toEqual(november);
    const home = await post("/v2/scroll-depth", { page: "/" });
    expect(bucketsOf(home.json)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("applies the filters to the visits, and a page nobody engaged with has none", async () => {
    const { post } = await reportsWorld();
    const french = await post("/v2/scroll-depth", { page: "/docs", filters: [["is", "visit:country", ["FR"]]] });
    expect(bucketsOf(french.json)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const signedUp = await post("/v2/scroll-depth", { page: "/docs", filters: [["is", "event:name", ["Signup"]]] });
    expect(signedUp.json.visits).toBe(2);
    const nobody = await post("/v2/scroll-depth", { page: "/pricing" });
    expect(nobody.json.visits).toBe(0);
    expect(nobody.json.buckets.every((bucket: { percentage: number }) => bucket.percentage === 0)).toBe(true);
  });
});

describe("both reports", { timeout: 30_000 }, () => {
  it("refuse bad input with a 400 naming it, another's site with a 404, and strangers with a 401", async () => {
    const { post, site } = await reportsWorld();
    for (const [path, body, field] of [
      ["/v2/scroll-depth", {}, "page"],
      ["/v2/scroll-depth", { page: "docs" }, "page"],
      ["/v2/scroll-depth", { page: "/docs", date_range: "someday" }, "date_range"],
      ["/v2/property-keys", { filters: [["is", "visit:shoe_size", ["9"]]] }, "shoe_size"],
      ["/v2/property-keys", { metrics: ["visitors"] }, "metrics"],
      ["/v2/scroll-depth", { page: "/docs", filters: [["matches", "event:page", ["("]]] }, "regular expression"],
    ] as const) {
      const refused = await post(path, body);
      expect(refused.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(refused.json.error).toContain(field);
    }
    const stranger = await signedInUser();
    expect((await post("/v2/property-keys", {}, stranger.cookie)).status).toBe(404);
    expect((await call("/v2/scroll-depth", { body: { site_id: site.id, date_range: november, page: "/docs" } })).status).toBe(401);
  });
});
