import { describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { accessWorld, apiEnv, call, newSite, signedInUser } from "@pixel/test/support/workers/api";
import { moveTo } from "./positions";
import { QUERY_LIMITS } from "../clickhouse";
import { notASelect, runReadOnlySql, SqlRefused } from "./sql";

const VISITORS = { metrics: ["visitors"], dimensions: ["event:page"] };

async function reportWith(cookie: string, siteId: string, titles: string[]) {
  const report = (await call(`/sites/${siteId}/reports`, { cookie, body: { name: "Overview", dateRange: "30d" } })).json.report;
  const path = `/sites/${siteId}/reports/${report.id}`;
  const ids: string[] = [];
  for (const title of titles) {
    const created = await call(`${path}/widgets`, { cookie, body: { title, kind: "table", width: 3, query: VISITORS } });
    expect(created.status).toBe(201);
    ids.push(created.json.widget.id);
  }
  return { path, ids };
}

const widgetTitles = async (path: string, cookie: string) =>
  (await call(path, { cookie })).json.report.widgets.map((w: { title: string; position: number }) => `${w.position}:${w.title}`);

describe("reports", () => {
  it("keeps reports in order: new ones last, moved ones renumbered, deleted ones closing the gap", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const path = `/sites/${a.id}/reports`;
    const ids: string[] = [];
    for (const name of ["One", "Two", "Three"]) ids.push((await call(path, { cookie: siteAdmin.cookie, body: { name } })).json.report.id);
    const names = async () => (await call(path, { cookie: viewer.cookie })).json.reports.map((r: { name: string; position: number }) => `${r.position}:${r.name}`);
    expect(await names()).toEqual(["0:One", "1:Two", "2:Three"]);
    const moved = await call(`${path}/${ids[2]}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { position: 0, dateRange: ["2026-11-01", "2026-11-30"] } });
    expect(moved.json.report).toMatchObject({ position: 0, dateRange: ["2026-11-01", "2026-11-30"] });
    expect(await names()).toEqual(["0:Three", "1:One", "2:Two"]);
    expect((await call(`${path}/${ids[0]}`, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(204);
    expect(await names()).toEqual(["0:Three", "1:Two"]);
    expect((await call(path, { cookie: viewer.cookie, body: { name: "Mine" } })).status).toBe(403);
  });

  it("refuses a bad date range with a 400 naming the field", async () => {
    const { a, siteAdmin } = await accessWorld();
    for (const dateRange of ["forever", ["2026-11-30", "2026-11-01"]]) {
      const response = await call(`/sites/${a.id}/reports`, { cookie: siteAdmin.cookie, body: { name: "x", dateRange } });
      expect(response.status).toBe(400);
      expect(response.json.error).toContain("dateRange");
    }
  });

  it("keeps reports to their site", async () => {
    const { a, b, siteAdmin, globalAdmin } = await accessWorld();
    const { path } = await reportWith(globalAdmin.cookie, b.id, ["B only"]);
    const reportId = path.split("/").pop();
    expect((await call(`/sites/${a.id}/reports/${reportId}`, { cookie: siteAdmin.cookie })).status).toBe(404);
    expect((await call(path, { cookie: siteAdmin.cookie })).status).toBe(404);
  });
});

describe("widgets", () => {
  it("are ordered; deleting one renumbers the rest and never breaks the report", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const { path, ids } = await reportWith(siteAdmin.cookie, a.id, ["A", "B", "C"]);
    const moved = await call(`${path}/widgets/${ids[0]}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { position: 2, width: 6 } });
    expect(moved.json.widget).toMatchObject({ position: 2, width: 6 });
    expect(await widgetTitles(path, viewer.cookie)).toEqual(["0:B", "1:C", "2:A"]);
    expect((await call(`${path}/widgets/${ids[2]}`, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(204);
    const report = await call(path, { cookie: viewer.cookie });
    expect(report.status).toBe(200);
    expect(report.json.report.widgets.map((w: { position: number; title: string }) => `${w.position}:${w.title}`)).toEqual(["0:B", "1:A"]);
    expect(report.json.report.widgets[0].query).toMatchObject(VISITORS);
  });

  it("are changed by site admins only", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const { path, ids } = await reportWith(siteAdmin.cookie, a.id, ["A"]);
    expect((await call(`${path}/widgets`, { cookie: viewer.cookie, body: { title: "x", kind: "number", query: VISITORS } })).status).toBe(403);
    expect((await call(`${path}/widgets/${ids[0]}`, { cookie: viewer.cookie, method: "PATCH", body: { title: "x" } })).status).toBe(403);
    expect((await call(`${path}/widgets/${ids[0]}`, { cookie: viewer.cookie, method: "DELETE" })).status).toBe(403);
  });

  it.each([
    [{ title: "x", kind: "pie", query: VISITORS }, "kind"],
    [{ title: "x", kind: "bar", width: 7, query: VISITORS }, "width"],
    [{ title: "x", kind: "bar", query: { metrics: ["nonsense"] } }, "query.metrics"],
    [{ title: "x", kind: "bar", query: { ...VISITORS, site_id: "elsewhere" } }, "site_id"],
    [{ title: "x", kind: "bar", query: { ...VISITORS, order_by: [["pageviews", "desc"]] } }, "order_by"],
    [{ title: "x", kind: "bar" }, "query"],
    [{ title: "x", kind: "bar", query: VISITORS, sql: "SELECT 1" }, "query"],
  ])("refuses a bad widget %# with a 400 naming the field", async (body, field) => {
    const { a, globalAdmin } = await accessWorld();
    const { path } = await reportWith(globalAdmin.cookie, a.id, []);
    const response = await call(`${path}/widgets`, { cookie: globalAdmin.cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(field);
  });
});

describe("SQL widgets", () => {
  it("only global admins write and run them", async () => {
    const { a, owner, siteAdmin, globalAdmin } = await accessWorld();
    const { path, ids } = await reportWith(siteAdmin.cookie, a.id, ["query"]);
    const sqlWidget = { title: "raw", kind: "number", sql: "SELECT count() AS n FROM events" };
    for (const cookie of [owner.cookie, siteAdmin.cookie]) {
      const refused = await call(`${path}/widgets`, { cookie, body: sqlWidget });
      expect(refused.status).toBe(403);
      expect(refused.json.error).toContain("sql");
    }
    expect((await call(`${path}/widgets/${ids[0]}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { sql: "SELECT 1" } })).status).toBe(403);
    const created = await call(`${path}/widgets`, { cookie: globalAdmin.cookie, body: sqlWidget });
    expect(created.status).toBe(201);
    expect((await call(`${path}/widgets/${created.json.widget.id}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { title: "mine" } })).status).toBe(403);
    expect((await call(`${path}/widgets/${created.json.widget.id}/rows`, { cookie: owner.cookie })).status).toBe(403);
  });

  it("run with the site and the report's days in the site's time zone bound as parameters", async () => {
    const site = await newSite("Europe/Berlin");
    const other = await newSite();
    const at = (iso: string) => Date.parse(iso);
    const client = adminClickHouse(apiEnv);
    await client.insert({
      table: "events",
      format: "JSONEachRow",
      values: [
        eventRow({ site_id: site.id, timestamp: at("2026-11-09T23:30:00Z") }), // Nov 10 in Berlin
        eventRow({ site_id: site.id, timestamp: at("2026-11-10T12:00:00Z") }),
        eventRow({ site_id: site.id, timestamp: at("2026-11-10T23:30:00Z") }), // Nov 11 in Berlin
        eventRow({ site_id: other.id, timestamp: at("2026-11-10T12:00:00Z") }),
      ],
    });
    await client.close();
    const { cookie } = await signedInUser("admin");
    const report = (await call(`/sites/${site.id}/reports`, { cookie, body: { name: "Raw", dateRange: ["2026-11-10", "2026-11-10"] } })).json.report;
    const path = `/sites/${site.id}/reports/${report.id}/widgets`;
    const sql = "SELECT count() AS hits FROM events WHERE site_id = {site_id:String} AND timestamp >= {from:DateTime64(3)} AND timestamp < {to:DateTime64(3)}";
    const widget = (await call(path, { cookie, body: { title: "Hits", kind: "number", sql } })).json.widget;
    const rows = await call(`${path}/${widget.id}/rows`, { cookie });
    expect(rows.status).toBe(200);
    expect(rows.json).toMatchObject({ rows: [{ hits: 2 }], from: "2026-11-10 00:00:00", to: "2026-11-11 00:00:00", timezone: "Europe/Berlin" });
  });

  it("refuse anything but one SELECT, and the reader's grants refuse writes, files and URLs anyway", async () => {
    const { a, globalAdmin } = await accessWorld();
    const { path } = await reportWith(globalAdmin.cookie, a.id, []);
    const refused = await call(`${path}/widgets`, { cookie: globalAdmin.cookie, body: { title: "x", kind: "number", sql: "DROP TABLE events" } });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toContain("sql");
    expect(notASelect("-- count\nWITH 1 AS x SELECT x;")).toBeNull();
    expect(notASelect("SELECT 1; DROP TABLE events")).toContain("one statement");
    expect(notASelect("/* SELECT */ INSERT INTO events SELECT * FROM events")).toContain("only SELECT");
    const params = { site_id: a.id, from: "2026-11-01 00:00:00", to: "2026-11-02 00:00:00" };
    const write = runReadOnlySql(apiEnv, "CREATE TABLE sql_widget_probe (x UInt8) ENGINE = Memory", params, "UTC");
    await expect(write).rejects.toThrow(SqlRefused);
    await expect(runReadOnlySql(apiEnv, "CREATE TABLE sql_widget_probe (x UInt8) ENGINE = Memory", params, "UTC")).rejects.toThrow(/Not enough privileges/);
    await expect(runReadOnlySql(apiEnv, "SELECT number FROM system.numbers LIMIT 20000", params, "UTC")).rejects.toThrow(SqlRefused);
    await expect(runReadOnlySql(apiEnv, "SELECT * FROM url('http://127.0.0.1:9/', CSV, 'a String')", params, "UTC")).rejects.toThrow(/Not enough privileges/);
  });

  it("run within the SQL editor's ClickHouse limits, and one past its read limit is a 400 naming it", async () => {
    const { a, globalAdmin } = await accessWorld();
    const params = { site_id: a.id, from: "2026-11-01 00:00:00", to: "2026-11-02 00:00:00" };
    const names = Object.keys(QUERY_LIMITS.sqlEditor);
    const [row] = await runReadOnlySql(apiEnv, `SELECT ${names.map((name) => `toUInt64(getSetting('${name}')) AS ${name}`).join(", ")}`, params, "UTC");
    expect(Object.fromEntries(names.map((name) => [name, Number(row![name])]))).toEqual(QUERY_LIMITS.sqlEditor);

    const { path } = await reportWith(globalAdmin.cookie, a.id, []);
    const sql = `SELECT count() AS n FROM numbers(${QUERY_LIMITS.sqlEditor.max_rows_to_read + 1})`;
    const widget = (await call(`${path}/widgets`, { cookie: globalAdmin.cookie, body: { title: "too much", kind: "number", sql } })).json.widget;
    const rows = await call(`${path}/widgets/${widget.id}/rows`, { cookie: globalAdmin.cookie });
    expect(rows.status).toBe(400);
    expect(rows.json.error).toContain("max_rows_to_read");
  });
});

describe("moveTo", () => {
  it("moves one id and clamps the position to the list", () => {
    expect(moveTo(["a", "b", "c"], "a", 2)).toEqual(["b", "c", "a"]);
    expect(moveTo(["a", "b", "c"], "c", 0)).toEqual(["c", "a", "b"]);
    expect(moveTo(["a", "b", "c"], "b", 99)).toEqual(["a", "c", "b"]);
  });
});
