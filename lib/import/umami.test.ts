import { describe, expect, it } from "vitest";
import { csvTable } from "./csv";
import { detectFormat } from "./formats";
import { LineError } from "./site";
import { umamiEvent } from "./umami";
import fixture from "./fixtures/umami-website-event.csv?raw";

const site = { id: "site_umami", domain: "shop.example", hostnames: [], timezone: "UTC", retentionDays: 30 };

async function importFixture() {
  const table = csvTable(fixture);
  const events = [];
  const skipped = [];
  for (const row of table.rows) {
    if ("error" in row) skipped.push(row);
    else {
      try {
        events.push(await umamiEvent(row.values, site));
      } catch (error) {
        if (!(error instanceof LineError)) throw error;
        skipped.push({ line: row.line, error: error.message });
      }
    }
  }
  return { header: table.header, events, skipped };
}

describe("Umami website_event", () => {
  it("is recognised by its header", async () => {
    expect(detectFormat((await importFixture()).header)).toEqual({ format: "umami" });
  });

  it("turns every pageview and custom event into an event, in our vocabulary", async () => {
    const { events } = await importFixture();
    expect(events.map((event) => [event.name, event.pathname])).toEqual([
      ["pageview", "/"],
      ["pageview", "/pricing"],
      ["signup", "/pricing"],
      ["pageview", "/blog/post"],
      ["pageview", "/"],
    ]);
    expect(events[0]).toMatchObject({
      site_id: site.id,
      event_id: "umami_e0000000-0000-4000-8000-000000000001",
      timestamp: Date.parse("2024-05-01T10:00:00Z"),
      hostname: "shop.example",
      title: "Shop, home",
      referrer: "https://www.google.com/search",
      referrer_host: "google.com",
      channel: "organic search",
      browser: "Chrome",
      os: "Windows",
      os_version: "10",
      device_type: "desktop",
      screen_width: 1920,
      country: "DE",
      region_code: "BY",
      region: "DE-BY",
      city: "Munich",
      retention_days: 30,
    });
    expect(events[1]).toMatchObject({ channel: "internal", query: "?plan=pro&email=redacted" });
    expect(events[3]).toMatchObject({ channel: "email", utm_source: "newsletter", utm_medium: "email", browser: "Mobile Safari", os: "iOS", device_type: "mobile" });
  });

  it("keeps Umami's visits and visitors apart: a visit per visit_id, a visitor per session_id", async () => {
    const { events } = await importFixture();
    expect(new Set(events.map((event) => event.session_id)).size).toBe(3);
    expect(new Set(events.map((event) => event.visitor_id)).size).toBe(2);
    expect(events[3]!.visitor_id).toBe(events[4]!.visitor_id);
    expect(events[3]!.session_id).not.toBe(events[4]!.session_id);
  });

  it("makes the same events from the same rows, so importing twice stores nothing twice", async () => {
    expect((await importFixture()).events).toEqual((await importFixture()).events);
  });

  it("reports malformed rows by line", async () => {
    expect((await importFixture()).skipped).toEqual([
      { line: 7, error: 'created_at: "yesterday" is not a date-time' },
      { line: 8, error: "11 cells where the header has 36" },
      { line: 9, error: "event_name: empty for a custom event" },
    ]);
  });
});
