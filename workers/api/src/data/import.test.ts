import { beforeAll, describe, expect, it } from "vitest";
import { grantSite } from "@pixel/lib/d1/accounts";
import type { Site } from "@pixel/lib/d1/schema";
import { csvTable } from "@pixel/lib/import/csv";
import umamiCsv from "@pixel/lib/import/fixtures/umami-website-event.csv?raw";
import visitorsCsv from "@pixel/lib/import/fixtures/plausible/imported_visitors_20240301_20240302.csv?raw";
import sourcesCsv from "@pixel/lib/import/fixtures/plausible/imported_sources_20240301_20240302.csv?raw";
import pagesCsv from "@pixel/lib/import/fixtures/plausible/imported_pages_20240301_20240302.csv?raw";
import devicesCsv from "@pixel/lib/import/fixtures/plausible/imported_devices_20240301_20240302.csv?raw";
import browsersCsv from "@pixel/lib/import/fixtures/plausible/imported_browsers_20240301_20240302.csv?raw";
import locationsCsv from "@pixel/lib/import/fixtures/plausible/imported_locations_20240301_20240302.csv?raw";
import systemsCsv from "@pixel/lib/import/fixtures/plausible/imported_operating_systems_20240301_20240302.csv?raw";
import customCsv from "@pixel/lib/import/fixtures/plausible/imported_custom_events_20240301_20240302.csv?raw";
import { accessWorld, call, db, newSite, signedInUser } from "@pixel/test/support/workers/api";
import { MAX_IMPORT_BYTES } from "@pixel/lib/import/split";
import { countRows } from "@pixel/test/support/workers/api-data";

let cookie: string;
let userId: string;

beforeAll(async () => {
  const me = await signedInUser();
  [cookie, userId] = [me.cookie, me.user.id];
});

async function siteOfMine(timezone = "UTC"): Promise<Site> {
  const site = await newSite(timezone);
  await grantSite(db(), userId, site.id, "admin");
  return site;
}

const upload = (site: Site, csv: string, headers: Record<string, string> = { "content-type": "text/csv" }) =>
  call(`/sites/${site.id}/imports`, { cookie, method: "POST", body: csv, headers });

/** A form upload as a browser sends it: the encoded body and its content-type with the boundary. */
async function form(files: File[]): Promise<[string, Record<string, string>]> {
  const data = new FormData();
  data.set("note", "not a file");
  for (const file of files) data.append("file", file);
  const encoded = new Response(data);
  return [await encoded.text(), { "content-type": encoded.headers.get("content-type")! }];
}

type Row = { dimensions: string[]; metrics: number[] };
async function stats(site: Site, date_range: [string, string] | "all", metrics: string[], dimensions: string[] = []): Promise<Row[]> {
  const response = await call("/v2/query", { cookie, body: { site_id: site.id, date_range, metrics, dimensions } });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json.results;
}

/** The fixture's rows as objects with numbers where the cells are numbers. */
const fixtureRows = (csv: string) =>
  [...csvTable(csv).rows].flatMap((row) => ("values" in row ? [Object.fromEntries(Object.entries(row.values).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]))] : []));

const sumBy = (rows: Record<string, string | number>[], key: (row: Record<string, string | number>) => string, metric: string) => {
  const sums: Record<string, number> = {};
  for (const row of rows) sums[key(row)] = (sums[key(row)] ?? 0) + Number(row[metric]);
  return sums;
};
const asMap = (rows: Row[], metric = 0) => Object.fromEntries(rows.map((row) => [row.dimensions.join("|"), row.metrics[metric]]));

describe("POST /api/sites/:siteId/imports: Umami", () => {
  it("lands every pageview and custom event, reports malformed lines, and counts nothing twice on a second import", async () => {
    const site = await siteOfMine();
    const first = await upload(site, umamiCsv);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      format: "umami",
      rows: 8,
      events: 5,
      skipped: [
        { line: 7, error: 'created_at: "yesterday" is not a date-time' },
        { line: 8, error: "11 cells where the header has 36" },
        { line: 9, error: "event_name: empty for a custom event" },
      ],
      skipped_total: 3,
    });
    const metrics = ["visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration"];
    const expected = [{ dimensions: [], metrics: [2, 3, 4, 5, 200 / 3, 60] }];
    expect(await stats(site, ["2024-05-01", "2024-05-02"], metrics)).toEqual(expected);
    expect(await stats(site, "all", metrics), "all time reaches back to the imported history").toEqual(expected);
    expect((await upload(site, umamiCsv)).status).toBe(200);
    expect(await stats(site, ["2024-05-01", "2024-05-02"], metrics)).toEqual(expected);
    expect(await countRows("events", site.id)).toBe(5);
    expect(asMap(await stats(site, ["2024-05-01", "2024-05-02"], ["visits"], ["visit:channel"]))).toEqual({ "organic search": 1, email: 1, direct: 1 });
  });
});

// Many uploads and queries per test: generous timeouts for a loaded machine.
describe("POST /api/sites/:siteId/imports: Plausible", { timeout: 60_000 }, () => {
  const days = fixtureRows(visitorsCsv).slice(0, 2);
  const range: [string, string] = ["2024-03-01", "2024-03-02"];
  const breakdownFiles = [sourcesCsv, pagesCsv, devicesCsv, browsersCsv, locationsCsv, systemsCsv];
  let site: Site;

  beforeAll(async () => {
    site = await siteOfMine("Europe/Berlin");
  });

  // Top pages read the pages table; asking for visits too reads events FINAL: both must agree.
  const topPages = async (dates: [string, string], visits?: "visits") =>
    (await stats(site, dates, ["visitors", "pageviews", "events", ...(visits ? [visits] : [])], ["event:page"])).map((row) => ({ ...row, metrics: row.metrics.slice(0, 3) }));
  const daily = async () => stats(site, range, ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration"], ["time:day"]);
  const fixtureDaily = days.map((day) => ({
    dimensions: [day.date],
    metrics: [day.visitors, day.visits, day.pageviews, (Number(day.bounces) * 100) / Number(day.visits), Number(day.visit_duration) / Number(day.visits)],
  }));

  it("imported_visitors reproduces each day's visitors, visits, pageviews, bounce rate and visit duration", async () => {
    const response = await upload(site, visitorsCsv);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ format: "plausible:imported_visitors", rows: 4, skipped_total: 2 });
    expect(response.json.skipped.map((skip: { line: number }) => skip.line)).toEqual([4, 5]);
    expect(await daily()).toEqual(fixtureDaily);
  });

  it("each breakdown file reproduces its values' visits, keeping the day's totals", async () => {
    for (const csv of breakdownFiles) {
      const response = await upload(site, csv);
      expect(response.status).toBe(200);
      expect(response.json.skipped).toEqual([]);
    }
    expect(await daily()).toEqual(fixtureDaily);
    const sum = (csv: string, key: (row: Record<string, string | number>) => string, metric = "visits") => sumBy(fixtureRows(csv), key, metric);
    expect(asMap(await stats(site, range, ["visits"], ["visit:screen"]))).toEqual(sum(devicesCsv, (row) => String(row.device)));
    const bounces = sum(devicesCsv, (row) => String(row.device), "bounces");
    const visits = sum(devicesCsv, (row) => String(row.device));
    expect(asMap(await stats(site, range, ["bounce_rate"], ["visit:screen"]))).toEqual(Object.fromEntries(Object.entries(visits).map(([device, n]) => [device, (bounces[device]! * 100) / n])));
    expect(asMap(await stats(site, range, ["visits"], ["visit:browser", "visit:browser_version"]))).toEqual(sum(browsersCsv, (row) => `${row.browser}|${row.browser_version}`));
    const systems: Record<string, string> = { Mac: "Mac OS" };
    expect(asMap(await stats(site, range, ["visits"], ["visit:os"]))).toEqual(sum(systemsCsv, (row) => systems[row.operating_system!] ?? String(row.operating_system)));
    expect(asMap(await stats(site, range, ["visits"], ["visit:country", "visit:region"]))).toEqual(sum(locationsCsv, (row) => `${row.country}|${row.region}`));
    const sources: Record<string, string> = { Google: "google.com", "Hacker News": "news.ycombinator.com" };
    expect(asMap(await stats(site, range, ["visits"], ["visit:source"]))).toEqual(sum(sourcesCsv, (row) => sources[row.source!] ?? String(row.source)));
    for (const date of range) {
      const pages = fixtureRows(pagesCsv).filter((row) => row.date === date);
      const byPage = await stats(site, [date, date], ["pageviews", "visits"], ["event:page"]);
      expect(asMap(byPage, 0)).toEqual(sumBy(pages, (row) => String(row.page), "pageviews"));
      expect(asMap(byPage, 1)).toEqual(sumBy(pages, (row) => String(row.page), "visits"));
      expect(await topPages([date, date]), "the pages table follows the rewritten events").toEqual(await topPages([date, date], "visits"));
    }
  });

  it("imported_custom_events adds each event's count and visitors to the day's visits, leaving their figures alone", async () => {
    const response = await upload(site, customCsv);
    expect(response.status).toBe(200);
    expect(response.json.skipped).toEqual([{ line: 6, error: "events: fewer than visitors" }]);
    expect(await daily()).toEqual(fixtureDaily);
    const wanted = fixtureRows(customCsv).slice(0, -1);
    for (const date of range) {
      const byName = await stats(site, [date, date], ["events", "visitors"], ["event:name"]);
      const mine = wanted.filter((row) => row.date === date);
      const pageviews = days.find((d) => d.date === date)!.pageviews;
      expect(asMap(byName, 0)).toEqual({ ...sumBy(mine, (row) => String(row.name), "events"), pageview: pageviews });
      expect(asMap(byName.filter((row) => row.dimensions[0] !== "pageview"), 1)).toEqual(sumBy(mine, (row) => String(row.name), "visitors"));
      expect(await topPages([date, date]), "the pages table follows the placed events").toEqual(await topPages([date, date], "visits"));
    }
  });

  it("importing every file again changes no number; the same imported_visitors again keeps the breakdowns", async () => {
    const snapshot = () =>
      Promise.all([daily(), stats(site, range, ["visits"], ["visit:source", "visit:browser", "visit:screen"]), stats(site, range, ["pageviews"], ["event:page"]), stats(site, range, ["events", "visitors"], ["event:name"])]);
    const before = await snapshot();
    const rows = await countRows("events", site.id);
    expect((await upload(site, visitorsCsv)).json.events).toBe(0);
    expect(await stats(site, range, ["visits"], ["visit:source", "visit:browser", "visit:screen"])).toEqual(before[1]);
    for (const csv of [...breakdownFiles, customCsv]) expect((await upload(site, csv)).status).toBe(200);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(await countRows("events", site.id)).toBe(rows);
  });

  it("a breakdown file imported after another version of it wins, whichever came first", async () => {
    const bySource = () => stats(site, range, ["visits"], ["visit:source"]);
    const before = await bySource();
    const other = sourcesCsv.replaceAll("Google,www.google.com", "Bing,www.bing.com");
    expect((await upload(site, other)).status).toBe(200);
    expect(asMap(await bySource())["bing.com"]).toBe(asMap(before)["google.com"]);
    expect((await upload(site, sourcesCsv)).status).toBe(200);
    expect(await bySource()).toEqual(before);
  });

  it("a breakdown for a day without imported visits is skipped and says what to import first", async () => {
    const empty = await siteOfMine();
    const response = await upload(empty, devicesCsv);
    expect(response.status).toBe(200);
    expect(response.json.events).toBe(0);
    expect(response.json.skipped[0]).toEqual({ line: 2, error: "date: no visits on 2024-03-01; import imported_visitors first" });
  });
});

describe("POST /api/sites/:siteId/imports: refusals", () => {
  it("names the expected formats when the header matches none", async () => {
    const response = await upload(await siteOfMine(), "day,hits\n2024-01-01,3\n");
    expect(response.status).toBe(400);
    expect(response.json.error).toContain("expected one of: umami");
    expect(response.json.error).toContain("plausible:imported_visitors");
  });

  it("wants a CSV body: text/csv or a form upload, never text/plain, which any page may post", async () => {
    for (const type of ["application/json", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded"]) {
      const response = await upload(await siteOfMine(), visitorsCsv, { "content-type": type });
      expect(response.status, type).toBe(415);
      expect(response.json.error).toContain("text/csv or application/csv or multipart/form-data");
    }
  });

  it("takes the one file of a multipart/form-data upload as it takes a text/csv body", async () => {
    const site = await siteOfMine();
    const response = await upload(site, ...(await form([new File([visitorsCsv], "visitors.csv", { type: "text/csv" })])));
    expect(response.status).toBe(200);
    expect(response.json.format).toBe("plausible:imported_visitors");
    expect(response.json).toEqual((await upload(await siteOfMine(), visitorsCsv)).json);
    for (const files of [[], [new File([visitorsCsv], "a.csv"), new File([visitorsCsv], "b.csv")]]) {
      const wrong = await upload(site, ...(await form(files)));
      expect(wrong.status).toBe(400);
      expect(wrong.json.error).toContain(`exactly one file, not ${files.length}`);
    }
  });

  it("refuses a file over the size cap with a 413", async () => {
    const big = `${visitorsCsv}${"2024-01-01,1,1,1,1,0\n".repeat(Math.ceil(MAX_IMPORT_BYTES / 20))}`;
    const response = await upload(await siteOfMine(), big);
    expect(response.status).toBe(413);
    expect(response.json.error).toContain("MiB");
  });

  it("needs a site admin: a viewer gets 403, a stranger 404", async () => {
    const { a, viewer } = await accessWorld();
    const asViewer = await call(`/sites/${a.id}/imports`, { cookie: viewer.cookie, method: "POST", body: visitorsCsv, headers: { "content-type": "text/csv" } });
    expect(asViewer.status).toBe(403);
    const asStranger = await call(`/sites/${a.id}/imports`, { cookie, method: "POST", body: visitorsCsv, headers: { "content-type": "text/csv" } });
    expect(asStranger.status).toBe(404);
    expect(await countRows("events", a.id)).toBe(0);
  });
});
