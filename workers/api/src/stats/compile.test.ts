import { describe, expect, it } from "vitest";
import { compileQuery } from "./compile";
import { normalizeQuery, QueryError, type QueryInput } from "./query";

const site = { timezone: "Europe/Berlin", createdAt: new Date("2026-01-15T12:00:00Z") };
const now = new Date("2026-11-28T23:30:00Z"); // already the 29th in Berlin
const input = (overrides: Partial<QueryInput>): QueryInput => ({
  site_id: "s",
  metrics: ["visitors"],
  date_range: "7d",
  dimensions: [],
  filters: [],
  pagination: { limit: 10_000, offset: 0 },
  ...overrides,
});

describe("normalizing a query", () => {
  it.each([
    ["day", ["2026-11-29", "2026-11-29"]],
    ["7d", ["2026-11-23", "2026-11-29"]],
    ["30d", ["2026-10-31", "2026-11-29"]],
    ["month", ["2026-11-01", "2026-11-29"]],
    ["all", ["2026-01-15", "2026-11-29"]],
  ] as const)("resolves %s in the site's timezone", (range, expected) => {
    const query = normalizeQuery(input({ date_range: range }), site, now);
    expect(query.date_range).toEqual(expected);
  });

  it("orders breakdowns by the first metric and time series by time", () => {
    const metrics: QueryInput["metrics"] = ["pageviews", "visitors"];
    expect(normalizeQuery(input({ metrics, dimensions: ["event:page"] }), site, now).order_by).toEqual([["pageviews", "desc"]]);
    expect(normalizeQuery(input({ metrics, dimensions: ["time:day"] }), site, now).order_by).toEqual([["time:day", "asc"]]);
  });

  it("refuses filters on time", () => {
    const timeFilter = input({ filters: [["is", "time:day", ["x"]]] });
    expect(() => normalizeQuery(timeFilter, site, now)).toThrow(QueryError);
  });
});

describe("compiling a query", () => {
  it("puts every value in a parameter and none in the SQL text", () => {
    const hostile = "x' OR 1=1 --";
    const hostileQuery = input({ site_id: hostile, dimensions: ["event:page"], filters: [["contains", "event:page", [hostile]]] });
    const query = normalizeQuery(hostileQuery, site, now);
    const { sql, params } = compileQuery(query, site.timezone);
    expect(sql).not.toContain(hostile);
    expect(sql).not.toContain("Europe/Berlin");
    expect(params).toMatchObject({ site_id: hostile, tz: "Europe/Berlin", f0: [hostile], from: "2026-11-23", to: "2026-11-29" });
    expect(sql).toContain("FROM events FINAL");
    expect(sql).toContain("site_id = {site_id:String}");
  });
});
