import { describe, expect, it } from "vitest";
import type { SimpleFilter } from "./api/types";
import { decodeFilter, DEFAULT_VIEW, encodeFilter, MAX_FILTERS, parseView, reportCompareFrom, reportCompareSearch, type View, viewSearch, withFilter, withoutFilter } from "./view";

const roundTrip = (view: View) => parseView(viewSearch(view));

describe("filters in the URL", () => {
  const tricky: SimpleFilter[] = [
    ["is", "event:page", ["/pricing"]],
    ["is_not", "visit:country", ["DE", "FR"]],
    ["contains", "visit:referrer", ["a,b\\c,,\\,"]],
    ["matches", "event:page", ["^/blog/\\d+$"]],
    ["is", "event:props:plan,tier", ["pro & más ✓", ""]],
    ["contains_not", "visit:utm_campaign", ["%41 +=?#&"]],
  ];

  it("round-trip any value through the encoding and the query string", () => {
    for (const filter of tricky) {
      expect(decodeFilter(encodeFilter(filter))).toEqual(filter);
    }
    expect(roundTrip({ ...DEFAULT_VIEW, filters: tricky }).filters).toEqual(tricky);
  });

  it("stay readable", () => {
    expect(viewSearch({ ...DEFAULT_VIEW, filters: [["is", "event:page", ["/pricing"]]] })).toBe("?range=7d&f=is,event:page,/pricing");
  });

  it("drop garbage instead of failing", () => {
    const view = parseView(
      "?f=&f=is&f=is,event:page&f=nope,event:page,/a&f=is,visit:nope,x&f=is,time:day,x&f=matches,event:page,(&f=is,event:page,/ok&f=%E0%A4%A",
    );
    expect(view.filters).toEqual([["is", "event:page", ["/ok"]]]);
    expect(decodeFilter("is,event:props:,x")).toBeNull();
    expect(decodeFilter(`is,event:page,${"x".repeat(2049)}`)).toBeNull();
  });

  it("ignore repeats and keep at most twenty", () => {
    expect(parseView("?f=is,event:page,/a&f=is,event:page,/a").filters).toHaveLength(1);
    const many = Array.from({ length: 30 }, (_, i) => `f=is,event:page,/${i}`).join("&");
    expect(parseView(`?${many}`).filters).toHaveLength(MAX_FILTERS);
  });

  it("replace an is filter on the same dimension, keep others", () => {
    const page: SimpleFilter = ["is", "event:page", ["/a"]];
    const country: SimpleFilter = ["is", "visit:country", ["DE"]];
    const filters = withFilter(withFilter([page], country), ["is", "event:page", ["/b"]]);
    expect(filters).toEqual([country, ["is", "event:page", ["/b"]]]);
    expect(withFilter([["contains", "event:page", ["blog"]]], page)).toEqual([["contains", "event:page", ["blog"]], page]);
    expect(withoutFilter(filters, country)).toEqual([["is", "event:page", ["/b"]]]);
  });
});

describe("the view in the URL", () => {
  it("round-trips every part", () => {
    const view: View = {
      range: ["2026-02-01", "2026-02-28"],
      compare: "year_over_year",
      filters: [["is", "visit:source", ["Google"]]],
      segment: 12,
      metric: "bounce_rate",
      interval: "week",
      tabs: { sources: "utm_campaign", devices: "os" },
      details: { tab: "countries", search: "ger", sort: { by: "visits", dir: "asc" }, page: 3 },
      property: "plan, tier",
      scroll: "/docs/a b",
    };
    expect(roundTrip(view)).toEqual(view);
    expect(roundTrip({ ...view, range: "12mo", compare: "previous_period", details: null })).toEqual({
      ...view,
      range: "12mo",
      compare: "previous_period",
      details: null,
    });
  });

  it("leaves defaults out", () => {
    expect(viewSearch(DEFAULT_VIEW)).toBe("?range=7d");
    expect(viewSearch({ ...DEFAULT_VIEW, tabs: { pages: "top" } })).toBe("?range=7d");
  });

  it("falls back to defaults for anything unknown", () => {
    expect(parseView("?range=forever&compare=never&metric=money&interval=fortnight&pages=nope")).toEqual(DEFAULT_VIEW);
    expect(parseView("?segment=-1").segment).toBeNull();
    expect(parseView("?segment=x").segment).toBeNull();
    expect(parseView(`?property=${"k".repeat(301)}&scroll=docs`)).toEqual(DEFAULT_VIEW);
    expect(parseView("")).toEqual(DEFAULT_VIEW);
  });

  it("refuses impossible custom ranges", () => {
    expect(parseView("?range=custom&from=2026-02-01&to=2026-02-28").range).toEqual(["2026-02-01", "2026-02-28"]);
    expect(parseView("?range=custom&from=2026-02-28&to=2026-02-01").range).toBe("7d");
    expect(parseView("?range=custom&from=2026-02-30&to=2026-03-01").range).toBe("7d");
    expect(parseView("?range=custom&from=2026-02-01").range).toBe("7d");
  });

  it("checks details against the tab", () => {
    expect(parseView("?details=nope").details).toBeNull();
    expect(parseView("?details=top&sort=bounce_rate:desc&page=0").details).toEqual({ tab: "top", search: "", sort: null, page: 1 });
    expect(parseView("?details=top&sort=pageviews:up&page=2.5").details).toEqual({ tab: "top", search: "", sort: null, page: 1 });
    expect(parseView("?details=top&sort=pageviews:asc&page=2").details).toEqual({
      tab: "top",
      search: "",
      sort: { by: "pageviews", dir: "asc" },
      page: 2,
    });
    expect(parseView(`?details=top&q=${"x".repeat(500)}`).details?.search).toHaveLength(200);
  });
});

describe("a report's comparison in its URL", () => {
  it.each([
    ["", "previous_period"],
    ["?compare=previous", "previous_period"],
    ["?compare=year", "year_over_year"],
    ["?compare=off", null],
    ["?compare=nonsense", "previous_period"],
  ] as const)("reads %j as %s", (search, mode) => {
    expect(reportCompareFrom(search)).toBe(mode);
  });

  it.each(["previous_period", "year_over_year", null] as const)("writes %s so that it reads back", (mode) => {
    expect(reportCompareFrom(reportCompareSearch(mode))).toBe(mode);
  });
});
