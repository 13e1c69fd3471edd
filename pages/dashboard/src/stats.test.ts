import { describe, expect, it } from "vitest";
import type { QueryResponse } from "./api/types";
import { dailyVisitorsQuery, readDailyVisitors, readTopPages, readTotals, topPagesQuery, totalsQuery } from "./stats";

const response = (results: QueryResponse["results"]): QueryResponse => ({ results, meta: {}, query: {} });

describe("queries", () => {
  it("asks for totals without dimensions", () => {
    expect(totalsQuery("s1", "7d")).toEqual({ site_id: "s1", metrics: ["visitors", "pageviews"], date_range: "7d" });
  });

  it("asks for visitors per day", () => {
    expect(dailyVisitorsQuery("s1", "30d")).toEqual({
      site_id: "s1",
      metrics: ["visitors"],
      date_range: "30d",
      dimensions: ["time:day"],
    });
  });

  it("asks for the ten top pages by visitors", () => {
    expect(topPagesQuery("s1", "all")).toEqual({
      site_id: "s1",
      metrics: ["visitors", "pageviews"],
      date_range: "all",
      dimensions: ["event:page"],
      order_by: [["visitors", "desc"]],
      pagination: { limit: 10, offset: 0 },
    });
  });
});

describe("reading results", () => {
  it("reads totals in the order asked, zero when empty", () => {
    expect(readTotals(response([{ metrics: [3, 8], dimensions: [] }]))).toEqual({ visitors: 3, pageviews: 8 });
    expect(readTotals(response([]))).toEqual({ visitors: 0, pageviews: 0 });
  });

  it("sorts days and keeps only the date part", () => {
    expect(
      readDailyVisitors(
        response([
          { metrics: [2], dimensions: ["2026-11-28"] },
          { metrics: [5], dimensions: ["2026-11-27T00:00:00Z"] },
        ]),
      ),
    ).toEqual([
      { day: "2026-11-27", value: 5 },
      { day: "2026-11-28", value: 2 },
    ]);
  });

  it("reads top pages", () => {
    expect(readTopPages(response([{ metrics: [4, 9], dimensions: ["/pricing"] }]))).toEqual([
      { path: "/pricing", visitors: 4, pageviews: 9 },
    ]);
  });
});
