import { beforeAll, describe, expect, it } from "vitest";
import { goals, type Site } from "@pixel/lib/d1/schema";
import { CLICKHOUSE_USERS } from "@pixel/lib/clickhouse/users";
import { type Dimension, EVENT_DIMENSIONS, isVisitOnlyDimension, METRICS, PROPS_PREFIX, TIME_DIMENSIONS, VISIT_DIMENSIONS } from "@pixel/lib/stats/vocabulary";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { apiEnv, call, db, newSite, signedInUser } from "@pixel/test/support/workers/api";

// The api's whole ClickHouse surface, run as the reader users.sql documents (readonly = 2, SELECT only, bounded
// limits): every metric and dimension, a batch, realtime, drops, the SQL editor, the schema browser and exports.
let site: Site;
let cookie: string;
const range = ["2026-11-01", "2026-11-30"];
const at = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  site = await newSite("Europe/Berlin");
  cookie = (await signedInUser("admin")).cookie;
  await db().insert(goals).values([
    { id: `g_signup_${site.id}`, siteId: site.id, kind: "event", eventName: "signup", displayName: "Signup", currency: "EUR" },
    { id: `g_docs_${site.id}`, siteId: site.id, kind: "page", pagePath: "/docs/*", displayName: "Docs" },
  ]);
  const s = site.id;
  const client = adminClickHouse(apiEnv);
  await insertEvents(client, [
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/", referrer_host: "google.com", channel: "organic_search", utm_source: "news", timestamp: at("2026-11-20T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/docs/start", scroll_depth: 80, timestamp: at("2026-11-20T10:01:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", name: "signup", pathname: "/docs/start", props: { plan: "pro" }, timestamp: at("2026-11-20T10:03:00Z") }),
    eventRow({ site_id: s, visitor_id: "2", session_id: "22", pathname: "/pricing", country: "FR", device_type: "mobile", timestamp: at("2026-11-21T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "3", session_id: "33", pathname: "/docs/api", timestamp: at("2026-11-22T10:00:00Z") }),
  ]);
  await client.close();
});

const query = (body: Record<string, unknown>) => call("/v2/query", { cookie, body: { site_id: site.id, date_range: range, ...body } });

function metricsFor(dimension: string | undefined): string[] {
  const goal = dimension === "event:goal" ? ["conversion_rate", "group_conversion_rate", "total_revenue", "average_revenue"] : [];
  const shares = ["percentage", ...goal];
  const pages = dimension === "event:page" ? ["scroll_depth", "time_on_page"] : [];
  const perEvent = dimension !== undefined && dimension !== "event:page" && (EVENT_DIMENSIONS.includes(dimension as never) || dimension.startsWith(PROPS_PREFIX));
  const sessions = perEvent ? ["visits"] : ["visits", "views_per_visit", "bounce_rate", "visit_duration"];
  // Entry and exit pages belong to whole visits: event counts are refused there, as in Plausible.
  const events = dimension && isVisitOnlyDimension(dimension as Dimension) ? [] : ["pageviews", "events"];
  return ["visitors", ...events, ...sessions, ...(dimension ? shares : []), ...pages];
}

describe("the api as the documented reader", { timeout: 30_000 }, () => {
  it("runs as pixel_reader", () => {
    expect(apiEnv.CLICKHOUSE_USER).toBe(CLICKHOUSE_USERS.api);
  });

  it("answers every metric without dimensions, with filters and a comparison", async () => {
    const answer = await query({
      metrics: metricsFor(undefined),
      filters: [["contains", "event:page", ["/"]], ["has_done", ["is", "event:goal", ["Signup"]]]],
      include: { comparisons: { mode: "previous_period" } },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.results[0].metrics[0]).toBe(1);
  });

  it("answers every dimension with every metric it allows", async () => {
    const dimensions = [...EVENT_DIMENSIONS, ...VISIT_DIMENSIONS, ...TIME_DIMENSIONS, `${PROPS_PREFIX}plan`];
    const covered = new Set<string>();
    for (const dimension of dimensions) {
      const metrics = metricsFor(dimension);
      metrics.forEach((metric) => covered.add(metric));
      const answer = await query({ metrics, dimensions: [dimension], ...(dimension.startsWith("time:minute") ? { date_range: ["2026-11-20", "2026-11-20"] } : {}) });
      expect(answer.status, `${dimension}: ${answer.text}`).toBe(200);
      expect(answer.json.results.length, dimension).toBeGreaterThan(0);
    }
    expect([...covered].sort()).toEqual([...METRICS].sort());
  });

  it("answers a batch, the realtime panel and the dropped hits", async () => {
    const queries = [
      { site_id: site.id, date_range: range, metrics: ["visitors", "visits", "bounce_rate"] },
      { site_id: site.id, date_range: range, metrics: ["visitors"], dimensions: ["visit:source"] },
      { site_id: site.id, date_range: range, metrics: ["conversion_rate", "visitors"], dimensions: ["event:goal"] },
      { site_id: site.id, date_range: range, metrics: ["pageviews"], dimensions: ["time:day"] },
    ];
    const batch = await call("/v2/queries", { cookie, body: { queries } });
    expect(batch.status).toBe(200);
    const lines = batch.text.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(queries.length);
    for (const line of lines) expect(line.error, JSON.stringify(line)).toBeUndefined();
    expect((await call("/v2/realtime", { cookie, body: { site_id: site.id } })).status).toBe(200);
    const drops = await call(`/sites/${site.id}/drops?from=2026-11-01&to=2026-11-30`, { cookie });
    expect(drops.status, drops.text).toBe(200);
  });

  it("runs the SQL editor, SQL widgets and the schema browser, and exports", async () => {
    const report = (await call(`/sites/${site.id}/reports`, { cookie, body: { name: "Raw", dateRange: range } })).json.report;
    const base = `/sites/${site.id}/reports/${report.id}`;
    const sql = "SELECT count() AS hits FROM events WHERE site_id = {site_id:String} AND timestamp >= {from:DateTime64(3)} AND timestamp < {to:DateTime64(3)}";
    const editor = await call(`${base}/sql`, { cookie, body: { sql } });
    expect(editor.status, editor.text).toBe(200);
    expect(editor.json.rows).toEqual([{ hits: 5 }]);
    const widget = (await call(`${base}/widgets`, { cookie, body: { title: "Hits", kind: "number", sql } })).json.widget;
    const rows = await call(`${base}/widgets/${widget.id}/rows`, { cookie });
    expect(rows.json.rows, rows.text).toEqual([{ hits: 5 }]);
    const schema = await call(`/sites/${site.id}/reports/schema`, { cookie });
    expect(schema.json.tables.map((table: { name: string }) => table.name)).toContain("events");
    const exported = await call(`/sites/${site.id}/export?format=ndjson`, { cookie });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.text.trim().split("\n")).toHaveLength(5);
  });
});
