import { describe, expect, it } from "vitest";
import type { EventRow } from "../clickhouse/tables/events";
import { csvTable } from "./csv";
import { detectFormat } from "./formats";
import { applyBreakdown, synthesizeDay, visitorsDay } from "./plausible";
import { customEventsRow, placeCustomEvents } from "./plausible-events";
import { LineError } from "./site";
import visitorsCsv from "./fixtures/plausible/imported_visitors_20240301_20240302.csv?raw";
import eventsCsv from "./fixtures/plausible/imported_custom_events_20240301_20240302.csv?raw";

const site = { id: "site_events", domain: "shop.example", hostnames: [], timezone: "UTC", retentionDays: 0 };
const rows = (text: string) => [...csvTable(text).rows].flatMap((row) => ("values" in row ? [row] : []));

async function day(date: string) {
  return synthesizeDay(visitorsDay(rows(visitorsCsv).find((row) => row.values.date === date)!.values), site);
}

const bounces = (events: EventRow[]) => {
  const visits = new Map<string, EventRow[]>();
  for (const event of events) visits.set(event.session_id, [...(visits.get(event.session_id) ?? []), event]);
  return [...visits.values()].filter((visit) => visit.filter((e) => e.name === "pageview").length === 1 && visit.every((e) => ["pageview", "engagement"].includes(e.name))).length;
};

describe("Plausible imported_custom_events", () => {
  it("is recognised by its header", () => {
    expect(detectFormat(csvTable(eventsCsv).header)).toEqual({ format: "plausible:imported_custom_events" });
  });

  it("places each event's count in visits of as many visitors as the file says, without changing bounces or durations", async () => {
    const events = await day("2024-03-01");
    const wanted = rows(eventsCsv).filter((row) => row.values.date === "2024-03-01").map((row) => customEventsRow(row.line, row.values));
    const placed = placeCustomEvents(events, wanted);
    expect(placed.shortfalls).toEqual([]);
    for (const want of wanted) {
      const mine = placed.rows.filter((row) => row.name === want.name);
      expect([mine.length, new Set(mine.map((row) => row.visitor_id)).size]).toEqual([want.events, want.visitors]);
    }
    expect(placed.rows.find((row) => row.name === "Outbound Link: Click")!.props).toEqual({ url: "https://github.com/pixel" });
    expect(bounces([...events, ...placed.rows])).toBe(bounces(events));
    for (const row of placed.rows) {
      const visit = events.filter((event) => event.session_id === row.session_id);
      expect(row.timestamp).toBe(Math.min(...visit.map((event) => event.timestamp)));
    }
    expect(placeCustomEvents([...events, ...placed.rows], wanted)).toEqual(placed);
  });

  it("keeps an event's path when the pages are imported after it", async () => {
    const events = await day("2024-03-01");
    const placed = placeCustomEvents(events, [{ line: 2, date: "2024-03-01", name: "404", url: "", path: "/missing", visitors: 1, events: 1 }]);
    const pages = [{ line: 2, date: "2024-03-01", attributes: { pathname: "/" }, visits: 1, pageviews: 1, bounces: 0 }];
    const after = applyBreakdown("imported_pages", [...events, ...placed.rows], pages).rows;
    expect(after.find((row) => row.name === "404")).toMatchObject({ pathname: "/missing", props: { path: "/missing" } });
  });

  it("refuses rows that are not custom events or have fewer events than visitors", () => {
    expect(() => customEventsRow(2, { date: "2024-03-01", name: "pageview", visitors: "1", events: "1" })).toThrow(LineError);
    expect(() => customEventsRow(6, rows(eventsCsv).at(-1)!.values)).toThrow("events: fewer than visitors");
  });
});
