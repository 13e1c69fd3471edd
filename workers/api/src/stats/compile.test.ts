import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { compileQuery } from "./compile";
import type { QueriedSite } from "@pixel/lib/stats/dates";
import { QueryError } from "@pixel/lib/stats/error";
import { normalizeQuery as normalize, QueryBody, type QueryInput } from "@pixel/lib/stats/query";

const site = { timezone: "Europe/Berlin", createdAt: new Date("2026-01-15T12:00:00Z") };
const now = new Date("2026-11-28T23:30:00Z"); // already the 29th in Berlin
const input = (overrides: Partial<QueryInput>): QueryInput => ({ site_id: "s", metrics: ["visitors"], date_range: "7d", ...overrides });
const normalizeQuery = (body: QueryInput, at: QueriedSite, when: Date) => normalize(v.parse(QueryBody, body), at, when);
const context = { timezone: site.timezone, goals: [] };

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

  it("takes case_sensitive filter options and refuses others", () => {
    const filters: QueryInput["filters"] = [["contains", "event:page", ["Blog"], { case_sensitive: false }], ["is", "visit:country", ["DE"]]];
    expect(normalizeQuery(input({ filters }), site, now).filters).toEqual(filters);
    for (const options of [{ case_sensitive: "no" }, { caseSensitive: false }, "i"]) {
      expect(() => normalizeQuery(input({ filters: [["is", "event:page", ["/"], options]] }), site, now)).toThrow(/filters\[0\]\[3\]: filter options/);
    }
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
    const { sql, params } = compileQuery(query, context);
    expect(sql).not.toContain(hostile);
    expect(sql).not.toContain("Europe/Berlin");
    expect(Object.values(params)).toEqual(expect.arrayContaining([hostile, "Europe/Berlin", [hostile], "2026-11-23 00:00:00", "2026-11-30 00:00:00"]));
    expect(sql).toContain("FROM page_visits");
    expect(sql).toMatch(/site_id = \{p\d+:String\}/);
  });

  it("reads only the rows that can complete a goal: the event goals' names, and pageviews when a page goal exists", () => {
    const compiled = (goals: { name: string; kind: "event" | "page"; value: string }[], body: Partial<QueryInput>) =>
      compileQuery(normalizeQuery(input(body), site, now), { timezone: site.timezone, goals });
    const signup = { name: "Signup", kind: "event" as const, value: "signup" };
    const byGoal = compiled([signup], { dimensions: ["event:goal"] });
    expect(byGoal.sql).toMatch(/AND \(name IN \{p\d+:Array\(String\)\}\)/);
    expect(Object.values(byGoal.params)).toContainEqual(["signup"]);
    const withPages = compiled([signup, { name: "Pricing", kind: "page", value: "/pricing" }], { filters: [["is", "event:goal", ["Signup"]]] });
    expect(withPages.sql).toMatch(/\(\(name IN \{p\d+:Array\(String\)\} OR name = 'pageview'\) AND arrayExists/);
  });
});

describe("choosing the storage", () => {
  const sources = (body: QueryInput, timezone = site.timezone, sessionsTable?: boolean) =>
    compileQuery(normalizeQuery(body, { ...site, timezone }, now), { timezone, goals: [], sessionsTable }).sql.match(/FROM (events|sessions|page_visits|pages)( FINAL)?\b/g);

  it("reads visits from the sessions table's rows as stored, merging only those with several rows, and unfiltered time series FINAL", () => {
    expect(sources(input({ metrics: ["visitors", "visits", "bounce_rate"] }))).toEqual(Array(5).fill("FROM sessions"));
    // Visits with one row in range as they are, the others (those with several rows) merged.
    expect(sources(input({ dimensions: ["visit:country"] }))).toEqual(Array(4).fill("FROM sessions"));
    expect(sources(input({ metrics: ["visitors", "pageviews"], dimensions: ["time:day"] }))).toEqual(["FROM sessions FINAL"]);
    // The visits with a row in range from Germany, merged, then filtered.
    expect(sources(input({ dimensions: ["visit:device"], filters: [["is", "visit:country", ["DE"]]] }))).toEqual(["FROM sessions", "FROM sessions"]);
  });

  it("reads the visits of a page filter from the page's page_visits rows and the sessions table, not from events", () => {
    const metrics: QueryInput["metrics"] = ["visitors", "visits", "pageviews", "bounce_rate"];
    expect(sources(input({ metrics, filters: [["is", "event:page", ["/"]]] }))).toEqual(["FROM sessions", "FROM page_visits", "FROM page_visits"]);
    expect(sources(input({ metrics: ["visits"], dimensions: ["visit:source"], filters: [["is", "event:page", ["/"]]] }))).toEqual(["FROM sessions", "FROM page_visits"]);
    expect(sources(input({ metrics, filters: [["is", "event:page", ["/"]]] }), site.timezone, false)).toEqual(["FROM events FINAL", "FROM events"]);
  });

  it("merges only the visits a visit filter on first-event attributes may select", () => {
    const sql = (filters: QueryInput["filters"]) => compileQuery(normalizeQuery(input({ dimensions: ["visit:device"], filters }), site, now), { timezone: site.timezone, goals: [] }).sql;
    expect(sql([["is", "visit:country", ["DE"]]])).toContain("session_id IN (SELECT session_id FROM sessions WHERE");
    expect(sql([["is", "visit:country", ["DE"]]])).toContain("tupleElement(sessions.v_country, 2) IN");
    // An entry page is not the first row's: a row-level check could drop a visit that matches.
    expect(sql([["is", "visit:entry_page", ["/"]]])).not.toContain("tupleElement(sessions.v_entry_page, 2) IN");
  });

  it("counts unfiltered total visitors over the stored rows, without merging each visit's visitor ids", () => {
    const sql = (body: QueryInput) => compileQuery(normalizeQuery(body, site, now), { timezone: site.timezone, goals: [] }).sql;
    expect(sql(input({ metrics: ["visitors"] }))).not.toContain("GROUP BY session_id");
    expect(sql(input({ metrics: ["visitors", "bounce_rate"] }))).not.toContain("groupArrayArray(visitor_ids)");
    expect(sql(input({ metrics: ["visitors"], filters: [["is", "visit:country", ["DE"]]] }))).toContain("groupArrayArray(visitor_ids)");
  });

  it("reads events for event filters and dimensions, minutes, zones off whole hours, and when told to", () => {
    // Only the visits with a matching event are grouped.
    expect(sources(input({ filters: [["is", "event:name", ["pageview"]]] }))).toEqual(["FROM events FINAL", "FROM events"]);
    expect(sources(input({ dimensions: ["time:minute"], date_range: "day" }))).toEqual(["FROM events FINAL"]);
    expect(sources(input({}), "Asia/Kolkata")).toEqual(["FROM events FINAL"]);
    expect(sources(input({ date_range: ["2026-11-28T10:30", "2026-11-28T12:00"] }))).toEqual(["FROM events FINAL"]);
    expect(sources(input({}), site.timezone, false)).toEqual(["FROM events FINAL"]);
  });

  it("sums a time series over the matching visits' stored hours, or their page_visits rows with a filter on the page", () => {
    const series = (filters: QueryInput["filters"]) => sources(input({ metrics: ["visitors", "pageviews"], dimensions: ["time:day"], filters }));
    expect(series([["is", "visit:country", ["DE"]]])).toEqual(["FROM sessions FINAL", "FROM sessions", "FROM sessions"]);
    expect(series([["contains", "event:page", ["blog"]]])).toEqual(["FROM page_visits"]);
    expect(series([["is", "event:page", ["/"]], ["is", "visit:country", ["DE"]]])).toEqual(["FROM page_visits", "FROM sessions", "FROM sessions"]);
    expect(series([["or", [["is", "event:page", ["/"]], ["is", "event:name", ["signup"]]]]])).toEqual(["FROM events FINAL"]);
    expect(series([["is", "event:name", ["pageview"]]])).toEqual(["FROM events FINAL"]);
  });

  it("reads top pages from the pages table, and from page_visits with filters on the page or on visits", () => {
    const pages = (more: Partial<QueryInput>) => sources(input({ metrics: ["visitors", "pageviews", "events"], dimensions: ["event:page"], ...more }));
    expect(pages({})).toEqual(["FROM pages FINAL"]);
    expect(pages({ filters: [["contains", "event:page", ["blog"], { case_sensitive: false }]] })).toEqual(["FROM page_visits"]);
    expect(pages({ filters: [["or", [["is", "event:page", ["/"]], ["not", ["matches", "event:page", ["^/docs"]]]]]] })).toEqual(["FROM page_visits"]);
    expect(pages({ filters: [["is", "visit:country", ["DE"]]] })).toEqual(["FROM page_visits", "FROM sessions", "FROM sessions"]);
    expect(pages({ metrics: ["visitors", "percentage"] })).toEqual(["FROM sessions", "FROM pages FINAL"]);
  });

  it("reads top pages from events for other filters, metrics or dimensions, and when told to", () => {
    const pages = (more: Partial<QueryInput>, sessionsTable?: boolean) =>
      sources(input({ metrics: ["visitors", "pageviews"], dimensions: ["event:page"], ...more }), site.timezone, sessionsTable);
    expect(pages({ filters: [["is", "event:name", ["pageview"]]] })).toEqual(["FROM events FINAL"]);
    expect(pages({ filters: [["has_done", ["is", "event:page", ["/"]]]] })).toEqual(["FROM events FINAL", "FROM events FINAL"]);
    expect(pages({ metrics: ["visitors", "time_on_page"] })).toEqual(["FROM events FINAL"]);
    expect(pages({ metrics: ["visits"] })).toEqual(["FROM events FINAL"]);
    expect(pages({ dimensions: ["event:page", "time:day"] })).toEqual(["FROM events FINAL"]);
    expect(pages({}, false)).toEqual(["FROM events FINAL"]);
    expect(sources(input({ metrics: ["pageviews"], dimensions: ["event:page"] }), "Asia/Kolkata")).toEqual(["FROM events FINAL"]);
  });

  it("tests event rows against the set of visits a visit filter selects when no visit column is asked for", () => {
    const sql = (dimensions: QueryInput["dimensions"]) =>
      compileQuery(normalizeQuery(input({ metrics: ["pageviews"], dimensions, filters: [["is", "visit:country", ["DE"]]] }), site, now), context).sql;
    // Before FINAL merges the rows: in WHERE it would merge every event of the range first.
    expect(sql(["event:hostname"])).toMatch(/FROM events FINAL\nPREWHERE session_id IN \(SELECT session_id\nFROM \(SELECT session_id, argMin/);
    expect(sql(["event:hostname"])).not.toContain("JOIN");
    expect(sql(["event:page"])).toMatch(/FROM page_visits\nPREWHERE session_id IN \(SELECT session_id\nFROM \(SELECT session_id, argMin/);
    expect(sql(["event:page", "visit:source"])).toContain("INNER JOIN");
  });

  it("joins event rows to stored visits for a visit breakdown of pages", () => {
    expect(sources(input({ metrics: ["pageviews"], dimensions: ["event:page", "visit:source"] }))).toEqual(["FROM events FINAL", ...Array(4).fill("FROM sessions")]);
  });
});

describe("the SQL's shape", () => {
  const shaped = (value: string) =>
    input({
      site_id: value,
      metrics: ["visitors", "pageviews", "percentage"],
      dimensions: [`event:props:${value}`, "visit:source"],
      filters: [
        ["is", "event:page", [value, `${value}2`]],
        ["or", [["contains", "visit:country", [value]], ["matches_not", "visit:city", [`^${value.replace(/[^a-z]/gi, "")}$`]]]],
        ["has_not_done", ["is", "event:goal", [value]]],
        ["is_not", `event:props:${value}`, [value]],
      ],
    });
  const hostile = ["x' OR 1=1 --", "{p0:String}", "'); DROP TABLE events; --", "\\'\n", "` FORMAT TSV"];

  it.each(hostile)("does not change when a value is %j", (value) => {
    const goals = [{ name: value, kind: "page" as const, value: `/${value}*` }];
    const benign = compileQuery(normalizeQuery(shaped("benign"), site, now), { timezone: "Benign/Zone", goals: [{ name: "g", kind: "page", value: "/g*" }] });
    const attacked = compileQuery(normalizeQuery(shaped(value), site, now), { timezone: value, goals });
    expect(attacked.sql).toBe(benign.sql);
    expect(Object.values(attacked.params)).toContain(value);
  });

  const visitShaped = (value: string) =>
    input({
      site_id: value,
      metrics: ["visitors", "bounce_rate", "percentage"],
      dimensions: ["visit:source"],
      filters: [["or", [["contains", "visit:country", [value], { case_sensitive: false }], ["is_not", "visit:city", [value]]]]],
    });

  it.each(hostile)("reading the sessions table, does not change when a value is %j", (value) => {
    const benign = compileQuery(normalizeQuery(visitShaped("benign"), site, now), context);
    const attacked = compileQuery(normalizeQuery(visitShaped(value), site, now), context);
    expect(benign.sql).toContain("FROM sessions\n");
    expect(attacked.sql).toBe(benign.sql);
    expect(Object.values(attacked.params)).toContain(value);
  });

  it("turns goal page patterns into anchored re2 with * as any run", async () => {
    const { goalPattern } = await import("./filter-sql");
    expect(goalPattern({ name: "Docs", kind: "page", value: "/docs/*" })).toBe("^/docs/.*$");
    expect(goalPattern({ name: "Odd", kind: "page", value: "/a.b(c)?*" })).toBe("^/a\\.b\\(c\\)\\?.*$");
    expect(goalPattern({ name: "Signup", kind: "event", value: "sign*up" })).toBe("^sign\\*up$");
  });
});
