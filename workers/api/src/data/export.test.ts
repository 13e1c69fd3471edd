import { beforeAll, describe, expect, it } from "vitest";
import type { Site } from "@pixel/lib/d1/schema";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { accessWorld, call, newSite, signedInUser } from "@pixel/test/support/workers/api";
import { grantSite } from "@pixel/lib/d1/accounts";
import { db } from "@pixel/test/support/workers/api";
import { clickHouse, fetchApi } from "@pixel/test/support/workers/api-data";

let site: Site;
let other: Site;
let cookie: string;
const at = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  site = await newSite("Europe/Berlin");
  other = await newSite();
  const admin = await signedInUser();
  await grantSite(db(), admin.user.id, site.id, "admin");
  cookie = admin.cookie;
  const client = clickHouse();
  const first = eventRow({ site_id: site.id, event_id: "evt_export_first", visitor_id: "18446744073709551615", timestamp: at("2026-03-01T09:00:00Z") });
  await insertEvents(client, [
    // 23:30 UTC on Feb 28 is already March 1 in Berlin.
    eventRow({ site_id: site.id, event_id: "evt_export_berlin", pathname: "/early", timestamp: at("2026-02-28T23:30:00Z") }),
    first,
    eventRow({ site_id: site.id, event_id: "evt_export_quoted", name: "signup", pathname: '/a,"b"', title: "=HYPERLINK()", props: { plan: "pro" }, timestamp: at("2026-03-02T12:00:00Z") }),
    eventRow({ site_id: site.id, event_id: "evt_export_later", timestamp: at("2026-03-05T12:00:00Z") }),
    eventRow({ site_id: other.id, event_id: "evt_export_other", timestamp: at("2026-03-01T12:00:00Z") }),
  ]);
  // The same hit again: exported once.
  await insertEvents(client, [first]);
  await client.close();
});

const march = "from=2026-03-01&to=2026-03-02";

describe("GET /api/sites/:siteId/export", () => {
  it("streams every column of each event in the range once, as NDJSON, by the site's calendar", async () => {
    const response = await fetchApi(`/sites/${site.id}/export?format=ndjson&${march}`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="pixel-${site.domain}-2026-03-01-to-2026-03-02.ndjson"`);
    const rows = new TextDecoder().decode(await response.arrayBuffer()).trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(rows.map((row) => row.event_id)).toEqual(["evt_export_berlin", "evt_export_first", "evt_export_quoted"]);
    expect(Object.keys(rows[0]).sort()).toEqual(Object.keys(eventRow()).sort());
    expect(rows[1]).toMatchObject({ site_id: site.id, visitor_id: "18446744073709551615", timestamp: "2026-03-01 09:00:00.000" });
    expect(rows[2].props).toEqual({ plan: "pro" });
  });

  it("writes CSV with a header row, quoting commas and quotes and defusing formulas", async () => {
    const response = await fetchApi(`/sites/${site.id}/export?format=csv&${march}`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).split("\r\n");
    const header = lines[0]!.split(",");
    expect(header).toContain("event_id");
    expect(header).toHaveLength(Object.keys(eventRow()).length);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toContain('"/a,""b"""');
    expect(lines[3]).toContain("'=HYPERLINK()");
    expect(lines[3]).toContain('"{""plan"":""pro""}"');
  });

  it("exports everything without dates, and defaults to NDJSON", async () => {
    const text = new TextDecoder().decode(await (await fetchApi(`/sites/${site.id}/export`, { cookie })).arrayBuffer());
    expect(text.trimEnd().split("\n")).toHaveLength(4);
    const fromOnly = new TextDecoder().decode(await (await fetchApi(`/sites/${site.id}/export?from=2026-03-02`, { cookie })).arrayBuffer());
    expect(fromOnly.trimEnd().split("\n").map((line) => JSON.parse(line).event_id)).toEqual(["evt_export_quoted", "evt_export_later"]);
  });

  it.each([
    ["format=xml", "format is ndjson or csv"],
    ["from=2026-02-30", "from: not a date on the calendar"],
    ["to=03/01/2026", "to: dates are YYYY-MM-DD"],
    ["from=2026-03-02&to=2026-03-01", "the first date is after the second"],
    ["limit=5", "limit"],
  ])("refuses ?%s with a 400 naming the problem", async (query, message) => {
    const response = await call(`/sites/${site.id}/export?${query}`, { cookie });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(message);
  });

  it("needs a site admin: a viewer gets 403, a stranger 404", async () => {
    const { a, viewer } = await accessWorld();
    expect((await call(`/sites/${a.id}/export`, { cookie: viewer.cookie })).status).toBe(403);
    expect((await call(`/sites/${site.id}/export`, { cookie: viewer.cookie })).status).toBe(404);
  });
});
