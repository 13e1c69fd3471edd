import { describe, expect, it } from "vitest";
import { answerOf } from "@pixel/test/support/dashboard";
import type { Query, QueryResponse } from "./api/types";
import { findTab } from "./breakdowns";
import { breakdownQuery, readRows, readTotals, recentQuery, type Scope, timeseriesQuery, totalsQuery, withRevenueColumns } from "./stats";

const response = (results: QueryResponse["results"]): QueryResponse => answerOf(results);
const scope: Scope = { siteId: "s1", range: "7d", filters: [] };
const filtered: Scope = { ...scope, filters: [["is", "visit:country", ["DE"]]] };

describe("queries", () => {
  it("asks for totals without dimensions, with filters only when there are some", () => {
    expect(totalsQuery(scope, ["visitors", "pageviews"])).toEqual({ site_id: "s1", metrics: ["visitors", "pageviews"], date_range: "7d" });
    expect(totalsQuery(filtered, ["visitors"]).filters).toEqual([["is", "visit:country", ["DE"]]]);
  });

  it("asks for a series by interval, or lets the API choose", () => {
    expect(timeseriesQuery(scope, "visitors", "week")).toEqual({
      site_id: "s1",
      metrics: ["visitors"],
      date_range: "7d",
      dimensions: ["time:week"],
      include: { time_labels: true },
    });
    expect(timeseriesQuery(scope, "bounce_rate", "auto").dimensions).toEqual(["time"]);
  });

  it("asks for a breakdown ordered by its first metric, ties by value", () => {
    expect(breakdownQuery(filtered, findTab("countries")!, { metrics: ["visitors"], limit: 9 })).toEqual({
      site_id: "s1",
      metrics: ["visitors"],
      date_range: "7d",
      dimensions: ["visit:country"],
      filters: [["is", "visit:country", ["DE"]]],
      order_by: [
        ["visitors", "desc"],
        ["visit:country", "asc"],
      ],
      pagination: { limit: 9, offset: 0 },
    });
  });

  it("adds the tab's own filters, a search and a sort", () => {
    const query = breakdownQuery(scope, findTab("events")!, {
      metrics: ["visitors", "events"],
      limit: 51,
      offset: 50,
      search: " sign ",
      sort: { by: "events", dir: "asc" },
    });
    expect(query.filters).toEqual([
      ["is_not", "event:name", ["pageview", "engagement"]],
      ["contains", "event:name", ["sign"], { case_sensitive: false }],
    ]);
    expect(query.order_by?.[0]).toEqual(["events", "asc"]);
    expect(query.pagination).toEqual({ limit: 51, offset: 50 });
    expect(breakdownQuery(scope, findTab("top")!, { metrics: ["visitors"], limit: 9, search: "  " }).filters).toBeUndefined();
  });

  it("asks for the last minutes as a local date-time range", () => {
    expect(recentQuery({ siteId: "s1", filters: [] }, "2026-11-28T00:03:10", 5)).toEqual({
      site_id: "s1",
      metrics: ["visitors"],
      date_range: ["2026-11-27T23:58:10", "2026-11-28T00:05:10"],
    });
    expect(recentQuery({ siteId: "s1", filters: [] }, "2026-11-28T12:00:00", 5, "event:page").dimensions).toEqual(["event:page"]);
  });
});

describe("reading results", () => {
  it("reads totals in the order asked, zero when empty or not a number", () => {
    expect(readTotals(response([{ metrics: [3, 8], dimensions: [] }]), 2)).toEqual([3, 8]);
    expect(readTotals(response([]), 2)).toEqual([0, 0]);
    expect(readTotals(response([{ metrics: [Number.NaN], dimensions: [] }]), 1)).toEqual([0]);
  });

  it("reads breakdown rows", () => {
    expect(readRows(response([{ metrics: [4, 9], dimensions: ["/pricing"] }]))).toEqual([{ value: "/pricing", metrics: [4, 9] }]);
  });
});

describe("revenue columns of goal breakdowns", () => {
  const goals = [
    { displayName: "Purchase", currency: "EUR" },
    { displayName: "Order", currency: "USD" },
    { displayName: "Signup", currency: null },
  ];
  const tab = findTab("goals")!;
  const rows = [
    { value: "Purchase", metrics: [3, 10] },
    { value: "Signup", metrics: [5, 20] },
    { value: "Order", metrics: [1, 5] },
  ];

  it("asks once per currency for the goals in it, and gives each goal row its revenue and currency", async () => {
    const asked: Query[] = [];
    const ask = async (query: Query) => {
      asked.push(query);
      const euro = JSON.stringify(query.filters).includes("Purchase");
      return response([{ dimensions: [euro ? "Purchase" : "Order"], metrics: euro ? [25, 12.5] : [7, 7] }]);
    };
    const data = await withRevenueColumns({ tab, metrics: tab.metrics, rows }, filtered, goals, ask);
    expect(data.metrics).toEqual(["visitors", "conversion_rate", "total_revenue", "average_revenue"]);
    expect(data.rows).toEqual([
      { value: "Purchase", metrics: [3, 10, 25, 12.5], currency: "EUR" },
      { value: "Signup", metrics: [5, 20, 0, 0] },
      { value: "Order", metrics: [1, 5, 7, 7], currency: "USD" },
    ]);
    expect(asked.map((query) => query.filters)).toEqual([
      [["is", "visit:country", ["DE"]], ["is", "event:goal", ["Purchase"]]],
      [["is", "visit:country", ["DE"]], ["is", "event:goal", ["Order"]]],
    ]);
  });

  it("leaves other tabs, and sites without revenue goals, as they are", async () => {
    const data = { tab, metrics: tab.metrics, rows };
    const never = () => Promise.reject(new Error("no query expected"));
    expect(await withRevenueColumns(data, scope, [{ displayName: "Signup", currency: null }], never)).toBe(data);
    expect(await withRevenueColumns({ ...data, tab: findTab("sources")! }, scope, goals, never)).toEqual({ ...data, tab: findTab("sources")! });
  });
});
