import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite, createUser, grantSite } from "@pixel/lib/d1/accounts";
import type { Site } from "@pixel/lib/d1/schema";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { apiEnv, call, login } from "@pixel/test/support/workers/api";

let shop: Site;
let blog: Site;

beforeAll(async () => {
  const db = drizzle(apiEnv.DB);
  const password = "correct horse battery staple";
  await createUser(db, { email: "admin@pixel.test", password, role: "admin" });
  const viewer = await createUser(db, { email: "viewer@pixel.test", password });
  shop = await createSite(db, { domain: "shop.example", timezone: "Europe/Berlin" });
  blog = await createSite(db, { domain: "blog.example" });
  await grantSite(db, viewer.id, shop.id, "viewer");

  const day = (iso: string) => Date.parse(iso);
  const client = adminClickHouse(apiEnv);
  await insertEvents(client, [
    eventRow({ site_id: shop.id, visitor_id: "1", pathname: "/", timestamp: day("2026-11-20T10:00:00Z") }),
    eventRow({ site_id: shop.id, visitor_id: "1", pathname: "/pricing", timestamp: day("2026-11-20T10:01:00Z") }),
    eventRow({ site_id: shop.id, visitor_id: "2", pathname: "/", timestamp: day("2026-11-20T11:00:00Z") }),
    eventRow({ site_id: shop.id, visitor_id: "2", name: "signup", pathname: "/pricing", timestamp: day("2026-11-20T11:02:00Z") }),
    eventRow({ site_id: shop.id, visitor_id: "3", pathname: "/", timestamp: day("2026-11-22T09:00:00Z") }),
    // 23:30 UTC on the 22nd is already the 23rd in Berlin.
    eventRow({ site_id: shop.id, visitor_id: "4", pathname: "/late", timestamp: day("2026-11-22T23:30:00Z") }),
    eventRow({ site_id: blog.id, visitor_id: "9", pathname: "/", timestamp: day("2026-11-20T10:00:00Z") }),
  ]);
  await client.close();
});

describe("signing in", () => {
  it("sets an HttpOnly session cookie for the right password and refuses a wrong one", async () => {
    const ok = await call("/auth/login", { body: { email: "Admin@pixel.test", password: "correct horse battery staple" } });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toMatchObject({ email: "admin@pixel.test", role: "admin" });
    expect(ok.json.user).not.toHaveProperty("passwordHash");
    expect(ok.headers.get("set-cookie")).toMatch(/__Host-pixel_session=.+HttpOnly/i);
    const wrong = await call("/auth/login", { body: { email: "admin@pixel.test", password: "nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe("wrong e-mail or password");
    const unknown = await call("/auth/login", { body: { email: "ghost@pixel.test", password: "nope" } });
    expect(unknown.json).toEqual(wrong.json);
  });

  it("answers bad bodies with a 400 that names the problem", async () => {
    expect((await call("/auth/login", { body: { email: "a@b.c" } })).json.error).toContain("password");
    const notJson = await call("/auth/login", { body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toHaveProperty("error");
  });

  it("knows who is signed in, and nobody without a valid cookie", async () => {
    const cookie = await login("viewer@pixel.test");
    expect((await call("/auth/me", { cookie })).json.user.email).toBe("viewer@pixel.test");
    expect((await call("/auth/me")).status).toBe(401);
    expect((await call("/auth/me", { cookie: "__Host-pixel_session=forged.token.value" })).status).toBe(401);
  });

  it("refuses to sign anyone in without a session secret", async () => {
    const misconfigured = { ...apiEnv, PIXEL_SESSION_SECRET: "" };
    const response = await call("/auth/login", { body: { email: "admin@pixel.test", password: "correct horse battery staple" } }, misconfigured);
    expect(response.status).toBe(503);
    expect(response.json.error).toContain("PIXEL_SESSION_SECRET");
  });
});

describe("sites", () => {
  it("shows an admin every site and a viewer only theirs", async () => {
    const admin = await call("/sites", { cookie: await login("admin@pixel.test") });
    expect(admin.json.sites.map((site: Site) => site.domain)).toEqual(["blog.example", "shop.example"]);
    const viewer = await call("/sites", { cookie: await login("viewer@pixel.test") });
    expect(viewer.json.sites.map((site: Site) => site.domain)).toEqual(["shop.example"]);
    expect((await call("/sites")).status).toBe(401);
  });
});

describe("POST /api/v2/query", () => {
  const query = (body: unknown, cookie: string) => call("/v2/query", { body, cookie });

  it("counts visitors and pageviews exactly for a date range in the site's timezone", async () => {
    const cookie = await login("viewer@pixel.test");
    const totals = await query({ site_id: shop.id, metrics: ["visitors", "pageviews", "events"], date_range: ["2026-11-20", "2026-11-22"] }, cookie);
    expect(totals.status).toBe(200);
    expect(totals.json.results).toEqual([{ dimensions: [], metrics: [3, 4, 5] }]);
    expect(totals.json.query).toMatchObject({ site_id: shop.id, date_range: ["2026-11-20", "2026-11-22"] });
  });

  it("breaks down by page, ordered by visitors", async () => {
    const cookie = await login("viewer@pixel.test");
    const pages = await query({ site_id: shop.id, metrics: ["visitors", "pageviews"], date_range: ["2026-11-01", "2026-11-30"], dimensions: ["event:page"] }, cookie);
    expect(pages.json.results).toEqual([
      { dimensions: ["/"], metrics: [3, 3] },
      { dimensions: ["/pricing"], metrics: [2, 1] },
      { dimensions: ["/late"], metrics: [1, 1] },
    ]);
  });

  it("fills days without visits with zeros in a daily series", async () => {
    const cookie = await login("viewer@pixel.test");
    const series = await query({ site_id: shop.id, metrics: ["visitors"], date_range: ["2026-11-19", "2026-11-23"], dimensions: ["time:day"] }, cookie);
    expect(series.json.results).toEqual([
      { dimensions: ["2026-11-19"], metrics: [0] },
      { dimensions: ["2026-11-20"], metrics: [2] },
      { dimensions: ["2026-11-21"], metrics: [0] },
      { dimensions: ["2026-11-22"], metrics: [1] },
      { dimensions: ["2026-11-23"], metrics: [1] },
    ]);
  });

  it("filters by page", async () => {
    const cookie = await login("viewer@pixel.test");
    const filtered = await query({ site_id: shop.id, metrics: ["visitors"], date_range: ["2026-11-01", "2026-11-30"], filters: [["is", "event:page", ["/pricing"]]] }, cookie);
    expect(filtered.json.results).toEqual([{ dimensions: [], metrics: [2] }]);
  });

  it("hides other sites' data from a viewer, and answers a viewer of A asking for B with 404", async () => {
    const cookie = await login("viewer@pixel.test");
    const other = await query({ site_id: blog.id, metrics: ["visitors"], date_range: "all" }, cookie);
    expect(other.status).toBe(404);
    expect((await call("/v2/query", { body: { site_id: shop.id, metrics: ["visitors"], date_range: "7d" } })).status).toBe(401);
  });

  it("answers a batch only for the sites the caller can see, and nothing without a session", async () => {
    const cookie = await login("viewer@pixel.test");
    const body = { queries: [shop.id, blog.id].map((site_id) => ({ site_id, metrics: ["visitors"], date_range: ["2026-11-20", "2026-11-22"] })) };
    const batch = await call("/v2/queries", { body, cookie });
    const lines = batch.text.trim().split("\n").map((line) => JSON.parse(line)).sort((a, b) => a.index - b.index);
    expect(lines[0].answer.results).toEqual([{ dimensions: [], metrics: [3] }]);
    expect(lines[1]).toMatchObject({ index: 1, status: 404 });
    expect((await call("/v2/queries", { body })).status).toBe(401);
  });

  it.each([
    [{ site_id: undefined, metrics: ["visitors"], date_range: "7d" }, "site_id"],
    [{ metrics: ["visitors; DROP TABLE events"], date_range: "7d" }, "metrics"],
    [{ metrics: ["visitors"], date_range: "7d", dimensions: ["event:page') OR 1=1 --"] }, "dimensions"],
    [{ metrics: ["visitors"], date_range: "forever" }, "date_range"],
    [{ metrics: ["visitors"], date_range: ["2026-11-30", "2026-11-01"] }, "date_range"],
    [{ metrics: ["visitors"], date_range: "7d", order_by: [["pathname", "desc"]] }, "order_by"],
  ])("refuses a bad query %# with a 400 naming the field", async (body, field) => {
    const cookie = await login("admin@pixel.test");
    const response = await query({ site_id: shop.id, ...body }, cookie);
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(field);
  });

  it("treats hostile filter values as plain values", async () => {
    const cookie = await login("admin@pixel.test");
    const hostile = ["' OR 1=1 --", "/') UNION ALL SELECT 1 --", "{site_id:String}", "\\'; DROP TABLE events; --"];
    const response = await query({ site_id: shop.id, metrics: ["visitors"], date_range: "all", filters: [["is", "event:page", hostile]] }, cookie);
    expect(response.status).toBe(200);
    expect(response.json.results).toEqual([{ dimensions: [], metrics: [0] }]);
  });
});
