import { drizzle } from "drizzle-orm/d1";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { collect, testEnv } from "@pixel/test/support/workers/collector";
import { localDayNumber } from "@pixel/lib/time";
import { visitDaysFrom, visitFrom } from "./returning";

const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-12-06T15:00:00Z");
const at = (iso: string) => new Date(iso).toUTCString();

beforeAll(async () => {
  await createSite(drizzle(testEnv.DB), { domain: "returning.example" });
  await createSite(drizzle(testEnv.DB), { domain: "tokyo.example", timezone: "Asia/Tokyo" });
});

describe("visitFrom: the day's answer from pixel.js's If-Modified-Since", () => {
  it("calls a browser without the script cached new, and one that fetched it on an earlier day returning", () => {
    expect(visitFrom(null, NOW)).toEqual({ type: "new", lastModified: at("2026-12-06T00:00:00Z") });
    expect(visitFrom(at("2026-11-20T00:00:01Z"), NOW)).toEqual({ type: "returning", lastModified: at("2026-12-06T00:00:01Z") });
    expect(visitFrom("not a date", NOW).type).toBe("new");
  });

  it("keeps the day's answer for the day's later pages", () => {
    expect(visitFrom(at("2026-12-06T00:00:00Z"), NOW)).toEqual({ type: "new", lastModified: at("2026-12-06T00:00:00Z") });
    expect(visitFrom(at("2026-12-06T00:00:01Z"), NOW)).toEqual({ type: "returning", lastModified: at("2026-12-06T00:00:01Z") });
  });
});

describe("visitDaysFrom: a browser's first and latest days from pixel.js's ETag", () => {
  const TODAY = 20_428;
  it("starts a browser without the script's ETag (or with a broken one) on today, with no earlier page load", () => {
    expect(visitDaysFrom(null, TODAY)).toEqual({ first: TODAY, previous: 0, tag: `d${TODAY}-${TODAY}` });
    expect(visitDaysFrom('"abc-br"', TODAY)).toEqual({ first: TODAY, previous: 0, tag: `d${TODAY}-${TODAY}` });
    expect(visitDaysFrom('"abc-br.d20500-20400"', TODAY).first).toBe(TODAY);
    expect(visitDaysFrom('"abc-br.d20430-20430"', TODAY).first).toBe(TODAY);
  });

  it("keeps the first day, answers the latest earlier page load, and moves the latest to today", () => {
    expect(visitDaysFrom('"abc-br.d20400-20420"', TODAY)).toEqual({ first: 20_400, previous: 20_420, tag: `d20400-${TODAY}` });
    expect(visitDaysFrom('W/"abc-gzip.d20400-20428"', TODAY)).toEqual({ first: 20_400, previous: TODAY, tag: `d20400-${TODAY}` });
  });
});

const page = "https://returning.example/pricing";
const pixel = (ip: string, headers: Record<string, string> = {}, referer = page) =>
  collect(null, { method: "GET", path: "/telemetry/pixel.js", ip, headers: { referer, ...headers } });
const pageviewRow = async (ip: string, url = page) => {
  const body = JSON.stringify([{ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url }]);
  const { sent } = await collect(body, { ip });
  return sent[0]!;
};
const pageview = async (ip: string) => (await pageviewRow(ip)).visitor_type;
const etagDays = (response: Response) => /\.d(\d+)-(\d+)"$/.exec(response.headers.get("etag") ?? "")?.slice(1).map(Number);

describe("new and returning visitors on the hits that follow pixel.js", () => {
  it("serves pixel.js for revalidation on every page, with a midnight validator and no cookie", async () => {
    const { response } = await pixel("198.51.100.1");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(Date.parse(response.headers.get("last-modified")!) % DAY_MS).toBe(0);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("marks the page view after a first fetch of pixel.js new", async () => {
    await pixel("198.51.100.2");
    expect(await pageview("198.51.100.2")).toBe("new");
  });

  it("marks it returning when the browser revalidates a copy fetched on an earlier day", async () => {
    const yesterday = new Date(Date.now() - DAY_MS).toUTCString();
    const { response } = await pixel("198.51.100.3", { "if-modified-since": yesterday });
    expect(response.status).toBe(200);
    expect(await pageview("198.51.100.3")).toBe("returning");
  });

  it("answers 304 to the day's own validator, and the answer stays", async () => {
    const first = (await pixel("198.51.100.4", { "if-modified-since": new Date(Date.now() - 3 * DAY_MS).toUTCString() })).response;
    const validators = { "if-modified-since": first.headers.get("last-modified")!, "if-none-match": first.headers.get("etag")! };
    expect((await pixel("198.51.100.4", validators)).response.status).toBe(304);
    expect(await pageview("198.51.100.4")).toBe("returning");
  });

  it("leaves the type unknown for hits without pixel.js (the Events API, a cached old script)", async () => {
    expect(await pageview("198.51.100.5")).toBe("");
  });
});

describe("retention cohorts: the visit days on the hits that follow pixel.js", () => {
  const today = localDayNumber(Date.now(), "UTC");

  it("dates a first page load's hits with today as first visit and no earlier one, and says so in the ETag", async () => {
    const { response } = await pixel("198.51.100.21");
    expect(etagDays(response)).toEqual([today, today]);
    expect(await pageviewRow("198.51.100.21")).toMatchObject({ visitor_type: "new", first_visit: today, previous_visit: 0 });
  });

  it("carries the echoed first day and the latest page load's day; the day's later pages have today as previous", async () => {
    const echoed = `"${"x".repeat(8)}-br.d${today - 30}-${today - 3}"`;
    const first = (await pixel("198.51.100.22", { "if-none-match": echoed })).response;
    expect(first.status).toBe(200);
    expect(etagDays(first)).toEqual([today - 30, today]);
    expect(await pageviewRow("198.51.100.22")).toMatchObject({ first_visit: today - 30, previous_visit: today - 3 });
    const validators = { "if-modified-since": first.headers.get("last-modified")!, "if-none-match": first.headers.get("etag")! };
    expect((await pixel("198.51.100.22", validators)).response.status).toBe(304);
    expect(await pageviewRow("198.51.100.22")).toMatchObject({ first_visit: today - 30, previous_visit: today });
  });

  it("counts days in the site's timezone", async () => {
    await pixel("198.51.100.23", {}, "https://tokyo.example/");
    const row = await pageviewRow("198.51.100.23", "https://tokyo.example/");
    expect(row.first_visit).toBe(localDayNumber(Date.now(), "Asia/Tokyo"));
  });

  it("leaves the days unknown without pixel.js, and passes an ETag's days back untouched when the page's site is unknown", async () => {
    expect(await pageviewRow("198.51.100.24")).toMatchObject({ first_visit: 0, previous_visit: 0 });
    const { response } = await pixel("198.51.100.24", { "if-none-match": '"abc-br.d20000-20100"' }, "https://unknown.example/");
    expect(etagDays(response)).toEqual([20_000, 20_100]);
  });
});

describe("one visitor hash and one cache lookup per request", () => {
  afterEach(() => vi.restoreAllMocks());

  it("hashes a new visitor's batch of hits once for its id, once for its IP and once for its visit, and asks the edge cache once", async () => {
    const digest = vi.spyOn(crypto.subtle, "digest");
    const match = vi.spyOn(caches.default, "match");
    const hit = () => ({ id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, name: "pageview", url: page });
    const { sent } = await collect(JSON.stringify([hit(), hit(), hit()]), { ip: "198.51.100.32" });
    expect(sent.map((row) => row.visitor_type)).toEqual(["", "", ""]);
    expect(match).toHaveBeenCalledTimes(1);
    expect(digest).toHaveBeenCalledTimes(3);
  });
});
