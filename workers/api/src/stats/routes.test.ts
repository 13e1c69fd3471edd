import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import { goals, type Site, type User } from "@pixel/lib/d1/schema";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import type { ApiContext, ApiEnv } from "../env";
import { statsRoutes } from "./routes";

const apiEnv = env as unknown as ApiEnv;
const app = new Hono<ApiContext>();
let site: Site;
const at = (iso: string) => Date.parse(iso);
const unique = crypto.randomUUID().slice(0, 8);

beforeAll(async () => {
  const db = drizzle(apiEnv.DB);
  // The route only reads the caller's role; a global admin may read every site.
  const admin = { id: `stats_${unique}`, email: `stats-${unique}@pixel.test`, role: "admin" } as User;
  app.use(async (c, next) => {
    c.set("user", admin);
    c.set("caller", { kind: "user", user: admin });
    await next();
  });
  app.route("/", statsRoutes);
  site = await createSite(db, { domain: `stats-${unique}.example`, timezone: "Europe/Berlin" });
  await db.insert(goals).values([
    { id: `g1_${unique}`, siteId: site.id, kind: "event", eventName: "signup", displayName: "Signup" },
    { id: `g2_${unique}`, siteId: site.id, kind: "page", pagePath: "/docs/*", displayName: "Read docs" },
  ]);
  const s = site.id;
  const now = Date.now();
  const client = adminClickHouse(apiEnv);
  await insertEvents(client, [
    // Visit 1 (visitor 1, from google): two pages, a signup. Not a bounce; lasts 3 minutes.
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/", referrer_host: "google.com", timestamp: at("2026-11-20T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/docs/start", timestamp: at("2026-11-20T10:01:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", name: "signup", pathname: "/docs/start", timestamp: at("2026-11-20T10:03:00Z") }),
    // Visit 2 (visitor 2, direct): one page and an engagement hit: a bounce.
    eventRow({ site_id: s, visitor_id: "2", session_id: "22", pathname: "=1+1", timestamp: at("2026-11-21T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "2", session_id: "22", name: "engagement", pathname: "=1+1", engaged_ms: 5000, timestamp: at("2026-11-21T10:00:30Z") }),
    // Visit 3 (visitor 3): reads the docs only.
    eventRow({ site_id: s, visitor_id: "3", session_id: "33", pathname: "/docs/api", timestamp: at("2026-11-22T10:00:00Z") }),
    // Realtime: visitor 7 two minutes ago, visitor 8 ten minutes ago, visitor 9 forty minutes ago.
    eventRow({ site_id: s, visitor_id: "7", session_id: "77", pathname: "/live", timestamp: now - 120_000 }),
    eventRow({ site_id: s, visitor_id: "8", session_id: "88", pathname: "/earlier", timestamp: now - 600_000 }),
    eventRow({ site_id: s, visitor_id: "9", session_id: "99", pathname: "/gone", timestamp: now - 2_400_000 }),
  ]);
  await client.close();
});

async function post(path: string, body: unknown) {
  const response = await app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, apiEnv);
  const text = await response.text();
  const type = response.headers.get("content-type");
  return { status: response.status, type, text, json: type?.startsWith("application/json") ? JSON.parse(text) : null };
}

const november = ["2026-11-01", "2026-11-27"];
const query = (body: Record<string, unknown>) => post("/query", { site_id: site.id, date_range: november, ...body });

describe("POST /queries", () => {
  it("answers each query of a batch line by line as /query would, with an error line per bad query", async () => {
    const bodies = [
      { site_id: site.id, date_range: november, metrics: ["visitors", "visits", "bounce_rate"] },
      { site_id: site.id, date_range: november, metrics: ["visitors"], dimensions: ["visit:source"] },
      { site_id: site.id, date_range: november, metrics: ["visits"], dimensions: ["visit:entry_page"], pagination: { limit: 2 } },
      { site_id: site.id, date_range: november, metrics: ["visitors", "pageviews"], dimensions: ["event:page"] },
      { site_id: site.id, date_range: november, metrics: ["nope"] },
      { site_id: `missing_${unique}`, date_range: november, metrics: ["visitors"] },
      { site_id: site.id, date_range: november, metrics: ["visitors"], filters: [["matches", "event:page", ["("]]] },
    ];
    const batch = await post("/queries", { queries: bodies });
    expect(batch.status).toBe(200);
    expect(batch.type).toContain("application/x-ndjson");
    const lines = batch.text.trim().split("\n").map((line) => JSON.parse(line)).sort((a, b) => a.index - b.index);
    expect(lines.map((line) => line.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const i of [0, 1, 2, 3]) expect(lines[i].answer).toEqual((await post("/query", bodies[i])).json);
    expect(lines[4]).toMatchObject({ status: 400, error: expect.stringMatching(/^queries\[4\]\.metrics/) });
    expect(lines[5]).toMatchObject({ status: 404, error: expect.stringContaining("site_id") });
    expect(lines[6].status).toBe(400);
  });

  it.each([[[]], [Array.from({ length: 21 }, () => ({}))], [{}]])("refuses %j as the queries with a 400", async (queries) => {
    const batch = await post("/queries", { queries });
    expect(batch.status).toBe(400);
    expect(batch.json.error).toContain("queries");
  });
});

describe("POST /query", () => {
  it("derives visits: bounce rate, duration, views per visit, entry and exit pages", async () => {
    const totals = await query({ metrics: ["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration"] });
    expect(totals.json.results).toEqual([{ dimensions: [], metrics: [3, 3, 4, 5, 4 / 3, 200 / 3, 210 / 3] }]);
    const entries = await query({ metrics: ["visits"], dimensions: ["visit:entry_page", "visit:exit_page"] });
    expect(entries.json.results).toEqual([
      { dimensions: ["/", "/docs/start"], metrics: [1] },
      { dimensions: ["/docs/api", "/docs/api"], metrics: [1] },
      { dimensions: ["=1+1", "=1+1"], metrics: [1] },
    ]);
  });

  it("reads the site's goals for event:goal and conversion_rate", async () => {
    const byGoal = await query({ metrics: ["visitors", "conversion_rate"], dimensions: ["event:goal"] });
    expect(byGoal.json.results).toEqual([
      { dimensions: ["Read docs"], metrics: [2, 200 / 3] },
      { dimensions: ["Signup"], metrics: [1, 100 / 3] },
    ]);
    const converted = await query({ metrics: ["visitors"], filters: [["is", "event:goal", ["Signup"]]] });
    expect(converted.json.results).toEqual([{ dimensions: [], metrics: [1] }]);
  });

  it("answers goal rows of a site without goals with none", async () => {
    const bare = await createSite(drizzle(apiEnv.DB), { domain: `bare-${unique}.example`, timezone: "UTC" });
    const byGoal = await post("/query", { site_id: bare.id, date_range: november, metrics: ["visitors"], dimensions: ["event:goal"], include: { total_rows: true } });
    expect(byGoal.status).toBe(200);
    expect(byGoal.json.results).toEqual([]);
    expect(byGoal.json.meta.total_rows).toBe(0);
  });

  it("includes total rows, time labels and a comparison period", async () => {
    const pages = await query({ metrics: ["visitors"], dimensions: ["event:page"], pagination: { limit: 1 }, include: { total_rows: true } });
    expect(pages.json.results).toHaveLength(1);
    expect(pages.json.meta.total_rows).toBe(4);
    const series = await query({ date_range: ["2026-11-20", "2026-11-22"], metrics: ["visitors"], dimensions: ["time:day"], include: { time_labels: true, comparisons: { mode: "previous_period" } } });
    expect(series.json.meta.time_labels).toEqual(["2026-11-20", "2026-11-21", "2026-11-22"]);
    expect(series.json.query.include.comparisons).toEqual({ mode: "previous_period", date_range: ["2026-11-17", "2026-11-19"] });
    expect(series.json.results[0]).toEqual({ dimensions: ["2026-11-20"], metrics: [1], comparison: { dimensions: ["2026-11-17"], metrics: [0], change: [null] } });
  });

  it.each([
    ["time:week", november, [["2026-10-26", 0], ["2026-11-02", 0], ["2026-11-09", 0], ["2026-11-16", 3], ["2026-11-23", 0]]],
    ["time:month", november, [["2026-11-01", 3]]],
    ["time:minute", ["2026-11-20T11:00", "2026-11-20T11:03"], [["2026-11-20 11:00:00", 1], ["2026-11-20 11:01:00", 1], ["2026-11-20 11:02:00", 0]]],
  ])("fills every %s bucket on the site's wall clock, as time_labels lists them", async (dimension, date_range, expected) => {
    const series = await query({ date_range, metrics: ["visitors"], dimensions: [dimension], include: { time_labels: true } });
    expect(series.json.results.map((row: { dimensions: string[]; metrics: number[] }) => [row.dimensions[0], row.metrics[0]])).toEqual(expected);
    expect(series.json.meta.time_labels).toEqual((expected as [string, number][]).map(([label]) => label));
  });

  it.each([
    [{ metrics: ["bounce_rate"], dimensions: ["event:name"] }, "bounce_rate describes whole visits and cannot be broken down by event:name"],
    [{ metrics: ["bounce_rate"], dimensions: ["event:page", "event:hostname"] }, "cannot be broken down by event:hostname"],
    [{ metrics: ["pageviews"], dimensions: ["visit:exit_page"] }, "pageviews counts events, which have no visit:exit_page"],
    [{ metrics: ["scroll_depth"], dimensions: ["visit:entry_page"], filters: [["is", "event:page", ["/"]]] }, "scroll_depth counts events"],
    [{ metrics: ["scroll_depth"] }, "scroll_depth needs the event:page dimension or an event:page filter"],
    [{ metrics: ["group_conversion_rate"], dimensions: ["visit:source"] }, "group_conversion_rate needs the event:goal dimension or an event:goal filter"],
    [{ metrics: ["conversion_rate"] }, "conversion_rate needs the event:goal dimension"],
    [{ metrics: ["visitors"], filters: [["or", [["is", "event:page", ["/"]], ["is", "visit:source", ["x"]]]]] }, "filters[0]: combine event:* and visit:*"],
    [{ metrics: ["visitors"], filters: [["has_done", ["is", "visit:country", ["DE"]]]] }, "filters[0]: has_done takes event:* filters only"],
    [{ metrics: ["visitors"], filters: [["and", [["is", "event:page", ["/"]], ["equals", "event:page", ["/"]]]]] }, "filters[0][1][1][0]: unknown filter operator"],
    [{ metrics: ["visitors"], filters: [["matches", "event:page", ["(unclosed"]]] }, "filters[0][2][0]: not a valid regular expression"],
    [{ metrics: ["visitors"], filters: [["is", "time:day", ["2026-11-20"]]] }, "filters[0][1]: filter time with date_range"],
    [{ metrics: ["visitors"], filters: [["is", "event:page", ["/"], { case_sensitive: "no" }]] }, "filters[0][3]: filter options are"],
    [{ metrics: ["visitors"], dimensions: ["time:day", "time:hour"] }, "at most one time dimension"],
    [{ metrics: ["visitors"], include: { comparisons: { mode: "custom" } } }, "custom comparison needs a date_range"],
    [{ metrics: ["visitors"], date_range: ["2026-02-30", "2026-03-01"] }, "date_range"],
    [{ metrics: ["visitors"], date_range: ["2026-03-01T24:00", "2026-03-02T00:00"] }, "date_range"],
  ])("refuses %j with a 400 saying what and where", async (body, message) => {
    const response = await query(body);
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(message);
  });

  it("exports any query as CSV, defusing spreadsheet formulas", async () => {
    const csv = await post("/query/csv", { site_id: site.id, date_range: november, metrics: ["visitors", "pageviews"], dimensions: ["event:page"], order_by: [["event:page", "asc"]] });
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    expect(csv.text).toBe("event:page,visitors,pageviews\r\n/,1,1\r\n/docs/api,1,1\r\n/docs/start,1,1\r\n'=1+1,1,1\r\n");
  });
});

describe("POST /realtime", () => {
  it("counts visitors in the last 5 and 30 minutes and shows their current pages", async () => {
    const realtime = await post("/realtime", { site_id: site.id });
    expect(realtime.json).toEqual({ visitors: { last_5_minutes: 1, last_30_minutes: 2 }, pages: [{ page: "/live", visitors: 1 }] });
  });
});

describe("hostile input", () => {
  const attacks = [
    "' OR 1=1 --",
    "x'); DROP TABLE events; --",
    "{site_id:String}",
    "{p0:String}",
    "\\' UNION ALL SELECT * FROM system.tables --",
    "`events`",
    "1 SETTINGS readonly=0",
    "/* */ FORMAT TSV",
    "\u0000\n\r\t",
    "${a}",
  ];
  const nothing = [{ dimensions: [], metrics: [0] }];
  const bodies = (attack: string): Record<string, unknown>[] => [
    { site_id: attack },
    { dimensions: [attack] },
    { filters: [["is", "event:page", [attack]]] },
    { filters: [["contains", "visit:source", [attack]]] },
    { filters: [["is", `event:props:${attack}`, ["x"]]] },
    { filters: [[attack, "event:page", ["x"]]] },
    { filters: [["is", attack, ["x"]]] },
    { filters: [["has_done", ["is", "event:goal", [attack]]]] },
    { order_by: [[attack, "desc"]] },
    { metrics: [attack] },
    { date_range: [attack, attack] },
  ];

  it.each(attacks)("%j in every string field gives a 400 or a correct empty answer", async (attack) => {
    for (const body of bodies(attack)) {
      const response = await query({ metrics: ["visitors"], ...body });
      if (response.status === 200) {
        expect(response.json.results, JSON.stringify(body)).toEqual(nothing);
      } else {
        expect([400, 404], JSON.stringify(body)).toContain(response.status);
        expect(response.json.error).toEqual(expect.any(String));
      }
    }
  });

  it.each(attacks)("%j as a prop key is just a key nobody sent", async (attack) => {
    const response = await query({ metrics: ["visitors"], dimensions: [`event:props:${attack}`] });
    expect(response.json.results).toEqual([{ dimensions: [""], metrics: [3] }]);
  });
});
