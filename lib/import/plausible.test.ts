import { describe, expect, it } from "vitest";
import type { EventRow } from "../clickhouse/tables/events";
import { csvTable } from "./csv";
import { detectFormat } from "./formats";
import { applyBreakdown, type Breakdown, breakdownRow, type BreakdownTable, synthesizeDay, visitorsDay } from "./plausible";
import { LineError } from "./site";
import visitorsCsv from "./fixtures/plausible/imported_visitors_20240301_20240302.csv?raw";
import sourcesCsv from "./fixtures/plausible/imported_sources_20240301_20240302.csv?raw";
import pagesCsv from "./fixtures/plausible/imported_pages_20240301_20240302.csv?raw";
import devicesCsv from "./fixtures/plausible/imported_devices_20240301_20240302.csv?raw";
import browsersCsv from "./fixtures/plausible/imported_browsers_20240301_20240302.csv?raw";
import locationsCsv from "./fixtures/plausible/imported_locations_20240301_20240302.csv?raw";
import systemsCsv from "./fixtures/plausible/imported_operating_systems_20240301_20240302.csv?raw";

const site = { id: "site_plausible", domain: "shop.example", hostnames: [], timezone: "America/New_York", retentionDays: 0 };

function rowsOf(text: string) {
  return [...csvTable(text).rows].flatMap((row) => ("values" in row ? [row] : []));
}

/** What the stats compiler computes over one day's events: the same definitions, in plain code. */
function totals(events: EventRow[]) {
  const visits = new Map<string, EventRow[]>();
  for (const event of events) visits.set(event.session_id, [...(visits.get(event.session_id) ?? []), event]);
  const sessions = [...visits.values()];
  const pageviews = (session: EventRow[]) => session.filter((event) => event.name === "pageview").length;
  const length = (session: EventRow[]) => Math.max(...session.map((e) => e.timestamp)) - Math.min(...session.map((e) => e.timestamp));
  return {
    visitors: new Set(events.map((event) => event.visitor_id)).size,
    visits: sessions.length,
    pageviews: sessions.reduce((sum, session) => sum + pageviews(session), 0),
    bounces: sessions.filter((session) => pageviews(session) === 1 && session.every((e) => ["pageview", "engagement"].includes(e.name))).length,
    visit_duration: sessions.reduce((sum, session) => sum + length(session), 0) / 1000,
  };
}

describe("Plausible imported_visitors", () => {
  it.each([
    ["imported_visitors", visitorsCsv],
    ["imported_sources", sourcesCsv],
    ["imported_pages", pagesCsv],
    ["imported_devices", devicesCsv],
    ["imported_browsers", browsersCsv],
    ["imported_locations", locationsCsv],
    ["imported_operating_systems", systemsCsv],
  ])("%s is recognised by its header", (table, text) => {
    expect(detectFormat(csvTable(text).header)).toEqual({ format: `plausible:${table}` });
  });

  it("names the formats it knows when the header is none of them, and says why entry pages are not imported", () => {
    const unknown = detectFormat(["day", "hits"]);
    expect("error" in unknown && unknown.error).toContain("expected one of: umami (website_id");
    expect("error" in unknown && unknown.error).toContain("plausible:imported_visitors (date, visitors, pageviews, bounces, visits, visit_duration)");
    const entry = detectFormat(["date", "entry_page", "visitors", "entrances", "visit_duration", "bounces", "pageviews"]);
    expect("error" in entry && entry.error).toContain("imported_entry_pages is not imported");
  });

  it("makes visits that reproduce each day's visitors, visits, pageviews, bounces and total duration, inside that day", async () => {
    for (const { values } of rowsOf(visitorsCsv).slice(0, 2)) {
      const day = visitorsDay(values);
      const events = await synthesizeDay(day, site);
      expect(totals(events)).toEqual({ visitors: day.visitors, visits: day.visits, pageviews: day.pageviews, bounces: day.bounces, visit_duration: day.visit_duration });
      const localDates = new Set(events.map((event) => new Date(event.timestamp).toLocaleDateString("en-CA", { timeZone: site.timezone })));
      expect([...localDates]).toEqual([day.date]);
    }
  });

  it("reproduces days that are hard to spread: all bounces, too few pageviews for two per visit, a DST day", async () => {
    for (const day of [
      { date: "2024-03-10", visitors: 3, pageviews: 3, bounces: 3, visits: 3, visit_duration: 50 },
      { date: "2024-03-10", visitors: 2, pageviews: 5, bounces: 1, visits: 6, visit_duration: 7 },
      { date: "2024-11-03", visitors: 1, pageviews: 40, bounces: 0, visits: 2, visit_duration: 86_000 },
    ]) {
      const events = await synthesizeDay(day, site);
      expect(totals(events)).toEqual({ visitors: day.visitors, visits: day.visits, pageviews: day.pageviews, bounces: day.bounces, visit_duration: day.visit_duration });
    }
  });

  it("makes the same events every time", async () => {
    const day = visitorsDay(rowsOf(visitorsCsv)[0]!.values);
    expect(await synthesizeDay(day, site)).toEqual(await synthesizeDay(day, site));
  });

  it.each([
    [{ date: "2024-02-30" }, "date:"],
    [{ date: "2024-03-01", visitors: "x" }, "visitors:"],
    [{ date: "2024-03-01", visitors: "3", visits: "2" }, "more visitors than visits"],
    [{ date: "2024-03-01", visitors: "1", visits: "2", bounces: "1", pageviews: "2" }, "cannot be spread"],
    [{ date: "2024-03-01", visitors: "1", visits: "50001", bounces: "0", pageviews: "100002" }, "at most 50000 visits"],
  ])("refuses %j", (values, message) => {
    expect(() => visitorsDay(values)).toThrow(LineError);
    expect(() => visitorsDay(values)).toThrow(message);
  });
});

describe("Plausible breakdown files", () => {
  async function day(date: string) {
    const values = rowsOf(visitorsCsv).find((row) => row.values.date === date)!.values;
    return synthesizeDay(visitorsDay(values), site);
  }
  const breakdowns = (table: BreakdownTable, text: string, date: string): Breakdown[] =>
    rowsOf(text).filter((row) => row.values.date === date).map((row) => breakdownRow(table, row.line, row.values, site));

  /** Visits per value of a session attribute: the value of each visit's first event, as visit:* dimensions read it. */
  function visitsBy(events: EventRow[], column: keyof EventRow) {
    const first = new Map<string, EventRow>();
    for (const event of [...events].sort((a, b) => a.timestamp - b.timestamp)) if (!first.has(event.session_id)) first.set(event.session_id, event);
    const counts: Record<string, number> = {};
    for (const event of first.values()) counts[String(event[column])] = (counts[String(event[column])] ?? 0) + 1;
    return counts;
  }

  it.each([
    ["imported_sources", sourcesCsv, "referrer_host", { "google.com": 3, "": 3, "news.ycombinator.com": 2 }],
    ["imported_devices", devicesCsv, "screen_width", { 1920: 4, 390: 2, 1280: 1, 820: 1 }],
    ["imported_browsers", browsersCsv, "browser", { Chrome: 4, Safari: 3, Firefox: 1 }],
    ["imported_operating_systems", systemsCsv, "os", { Windows: 3, iOS: 2, "Mac OS": 2, Android: 1 }],
    ["imported_locations", locationsCsv, "country", { DE: 3, US: 3, FR: 2 }],
  ] as const)("%s gives each value exactly its visits and keeps the day's totals", async (table, text, column, expected) => {
    const events = await day("2024-03-01");
    const applied = applyBreakdown(table, events, breakdowns(table, text, "2024-03-01"));
    expect(applied.shortfalls).toEqual([]);
    expect(visitsBy(applied.rows, column)).toEqual(expected);
    expect(totals(applied.rows)).toEqual(totals(events));
    expect(applied.rows.map((row) => row.event_id)).toEqual(events.map((row) => row.event_id));
  });

  it("imported_pages gives each page exactly its pageviews and visits", async () => {
    for (const date of ["2024-03-01", "2024-03-02"]) {
      const pages = breakdowns("imported_pages", pagesCsv, date);
      const applied = applyBreakdown("imported_pages", await day(date), pages);
      expect(applied.shortfalls).toEqual([]);
      for (const page of pages) {
        const views = applied.rows.filter((row) => row.name === "pageview" && row.pathname === page.attributes.pathname);
        expect([page.attributes.pathname, views.length, new Set(views.map((row) => row.session_id)).size]).toEqual([page.attributes.pathname, page.pageviews, page.visits]);
      }
    }
  });

  it("a later file keeps what an earlier one set, and the same file twice changes nothing", async () => {
    const events = await day("2024-03-01");
    const withSources = applyBreakdown("imported_sources", events, breakdowns("imported_sources", sourcesCsv, "2024-03-01")).rows;
    const withBoth = applyBreakdown("imported_browsers", withSources, breakdowns("imported_browsers", browsersCsv, "2024-03-01")).rows;
    expect(visitsBy(withBoth, "referrer_host")).toEqual(visitsBy(withSources, "referrer_host"));
    const again = applyBreakdown("imported_browsers", withBoth, breakdowns("imported_browsers", browsersCsv, "2024-03-01")).rows;
    expect(again).toEqual(withBoth);
  });

  it("reports values for which the day has no visits left", async () => {
    const events = await day("2024-03-02");
    const tooMany = [{ line: 9, date: "2024-03-02", attributes: { browser: "Opera" }, visits: 9, pageviews: 9, bounces: 0 }];
    expect(applyBreakdown("imported_browsers", events, tooMany).shortfalls).toEqual([{ line: 9, error: "visits: the day has only 4 more visits in imported_visitors" }]);
  });
});
