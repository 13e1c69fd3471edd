import { describe, expect, it } from "vitest";
import { accessWorld, call } from "@pixel/test/support/workers/api";

describe("the SQL editor's schema and draft runs", () => {
  it("lists the events table's columns to global admins only", async () => {
    const { a, owner, globalAdmin } = await accessWorld();
    const refused = await call(`/sites/${a.id}/reports/schema`, { cookie: owner.cookie });
    expect(refused.status).toBe(403);
    const response = await call(`/sites/${a.id}/reports/schema`, { cookie: globalAdmin.cookie });
    expect(response.status).toBe(200);
    const events = response.json.tables.find((table: { name: string }) => table.name === "events");
    const columns = events.columns.map((column: { name: string }) => column.name);
    expect(columns).toEqual(expect.arrayContaining(["site_id", "timestamp", "visitor_id", "pathname"]));
    expect(events.columns.find((column: { name: string }) => column.name === "timestamp").type).toMatch(/^DateTime64/);
  });

  it("runs unsaved SQL over the report's days for global admins, with ClickHouse's refusal as a 400", async () => {
    const { a, siteAdmin, globalAdmin } = await accessWorld();
    const report = (await call(`/sites/${a.id}/reports`, { cookie: globalAdmin.cookie, body: { name: "Raw", dateRange: ["2026-11-10", "2026-11-10"] } })).json.report;
    const path = `/sites/${a.id}/reports/${report.id}/sql`;
    const sql = "SELECT {site_id:String} AS site, {from:DateTime64(3)} AS start, 1 + 1 AS two";
    expect((await call(path, { cookie: siteAdmin.cookie, body: { sql } })).status).toBe(403);
    const ran = await call(path, { cookie: globalAdmin.cookie, body: { sql } });
    expect(ran.status).toBe(200);
    expect(ran.json).toMatchObject({ rows: [{ site: a.id, two: 2 }], from: "2026-11-10 00:00:00", to: "2026-11-11 00:00:00" });
    const broken = await call(path, { cookie: globalAdmin.cookie, body: { sql: "SELECT nonsense_column FROM events" } });
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatch(/^sql: ClickHouse refused it/);
    const write = await call(path, { cookie: globalAdmin.cookie, body: { sql: "DROP TABLE events" } });
    expect(write.status).toBe(400);
    expect(write.json.error).toContain("only SELECT");
    expect((await call(path, { cookie: globalAdmin.cookie, body: {} })).json.error).toContain("sql");
    expect((await call(`/sites/${a.id}/reports/nope/sql`, { cookie: globalAdmin.cookie, body: { sql } })).status).toBe(404);
  });
});
