import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import type { Site } from "@pixel/lib/d1/schema";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { accessWorld, apiEnv, call } from "@pixel/test/support/workers/api";

let site: Site;
let other: Site;
let auth: { headers: Record<string, string> };
const at = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  const world = await accessWorld();
  site = world.a;
  other = world.b;
  const key = (await call("/keys", { cookie: world.globalAdmin.cookie, body: { name: "v1", siteIds: [site.id] } })).json.token;
  auth = { headers: { authorization: `Bearer ${key}` } };
  const s = site.id;
  const client = adminClickHouse(apiEnv);
  await insertEvents(client, [
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/", referrer_host: "google.com", channel: "organic_search", timestamp: at("2026-11-20T10:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", pathname: "/blog/one", timestamp: at("2026-11-20T10:01:00Z") }),
    eventRow({ site_id: s, visitor_id: "1", session_id: "11", name: "Signup", pathname: "/blog/one", props: { method: "email" }, timestamp: at("2026-11-20T10:03:00Z") }),
    eventRow({ site_id: s, visitor_id: "2", session_id: "22", pathname: "/blog/two", country: "FR", timestamp: at("2026-11-22T09:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "3", session_id: "33", pathname: "/blog/2024/three", country: "US", timestamp: at("2026-11-22T11:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "3", session_id: "34", pathname: "/pricing", country: "US", timestamp: at("2026-11-13T11:00:00Z") }),
    eventRow({ site_id: s, visitor_id: "7", session_id: "77", pathname: "/live", timestamp: Date.now() - 120_000 }),
    eventRow({ site_id: s, visitor_id: "8", session_id: "88", pathname: "/earlier", timestamp: Date.now() - 600_000 }),
  ]);
  await client.close();
});

const v1 = (path: string) => call(`/v1/stats/${path}`, auth);
const v2 = (query: Record<string, unknown>) => call("/v2/query", { ...auth, body: { site_id: site.id, ...query } });
const RANGE = "period=custom&date=2026-11-20,2026-11-23";
const DATES = ["2026-11-20", "2026-11-23"];

describe("GET /api/v1/stats/aggregate", () => {
  it("answers {results: {metric: {value}}} with the v2 numbers for the same question", async () => {
    const metrics = ["visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration", "views_per_visit"];
    const answer = await v1(`aggregate?site_id=${site.id}&${RANGE}&metrics=${metrics.join(",")}`);
    expect(answer.status).toBe(200);
    const same = await v2({ metrics, date_range: DATES });
    expect(answer.json).toEqual({ results: Object.fromEntries(metrics.map((metric, i) => [metric, { value: same.json.results[0].metrics[i] }])) });
    expect(answer.json.results.visitors.value).toBe(3);
  });

  it("filters with the v1 syntax and compares with the previous period", async () => {
    const filtered = await v1(`aggregate?site_id=${site.id}&${RANGE}&filters=${encodeURIComponent("event:page==/blog/*;visit:country==FR|DE")}&compare=previous_period`);
    expect(filtered.status).toBe(200);
    const same = await v2({
      metrics: ["visitors"],
      date_range: DATES,
      filters: [["matches", "event:page", ["^/blog/[^/]*$"]], ["is", "visit:country", ["FR", "DE"]]],
      include: { comparisons: { mode: "previous_period" } },
    });
    expect(filtered.json).toEqual({ results: { visitors: { value: same.json.results[0].metrics[0], change: same.json.results[0].comparison.change[0] } } });
    expect(filtered.json.results.visitors.value).toBe(2);
  });
});

describe("GET /api/v1/stats/timeseries", () => {
  it("answers one {date, metrics} per day of the range, empty days as 0, as v2 counts them", async () => {
    const answer = await v1(`timeseries?site_id=${site.id}&${RANGE}&metrics=visitors,pageviews`);
    expect(answer.status).toBe(200);
    const same = await v2({ metrics: ["visitors", "pageviews"], date_range: DATES, dimensions: ["time:day"] });
    const v2Days = Object.fromEntries(same.json.results.map((row: { dimensions: string[]; metrics: number[] }) => [row.dimensions[0], row.metrics]));
    expect(answer.json.results).toEqual(
      ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"].map((date) => ({ date, visitors: v2Days[date]?.[0] ?? 0, pageviews: v2Days[date]?.[1] ?? 0 })),
    );
    expect(answer.json.results.map((row: { visitors: number }) => row.visitors)).toEqual([1, 0, 2, 0]);
  });

  it("takes interval=month", async () => {
    const answer = await v1(`timeseries?site_id=${site.id}&period=custom&date=2026-10-01,2026-11-30&interval=month`);
    expect(answer.json).toEqual({ results: [{ date: "2026-10-01", visitors: 0 }, { date: "2026-11-01", visitors: 3 }] });
  });
});

describe("GET /api/v1/stats/breakdown", () => {
  it("answers {results: [{<property>: value, metrics}]} with v2's rows, paged by limit and page", async () => {
    const first = await v1(`breakdown?site_id=${site.id}&${RANGE}&property=event:page&metrics=visitors,pageviews&limit=2`);
    const second = await v1(`breakdown?site_id=${site.id}&${RANGE}&property=event:page&metrics=visitors,pageviews&limit=2&page=2`);
    const same = await v2({ metrics: ["visitors", "pageviews"], date_range: DATES, dimensions: ["event:page"] });
    const rows = same.json.results.map((row: { dimensions: string[]; metrics: number[] }) => ({ page: row.dimensions[0], visitors: row.metrics[0], pageviews: row.metrics[1] }));
    expect(rows).toHaveLength(4);
    expect([...first.json.results, ...second.json.results]).toEqual(rows);
    expect(first.json.results).toHaveLength(2);
  });

  it("names a property breakdown by its key, and a visit breakdown without its prefix", async () => {
    const props = await v1(`breakdown?site_id=${site.id}&${RANGE}&property=event:props:method&filters=event:name==Signup&metrics=events`);
    expect(props.json).toEqual({ results: [{ method: "email", events: 1 }] });
    const countries = await v1(`breakdown?site_id=${site.id}&${RANGE}&property=visit:country`);
    expect(countries.json.results).toEqual([{ country: "DE", visitors: 1 }, { country: "FR", visitors: 1 }, { country: "US", visitors: 1 }]);
  });
});

describe("GET /api/v1/stats/realtime/visitors", () => {
  it("answers the number of visitors in the last 5 minutes", async () => {
    const answer = await v1(`realtime/visitors?site_id=${site.id}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toBe(1);
  });
});

describe("Plausible's documented v1 example requests", () => {
  /** Every request of plausible/docs docs/api/stats-api.md (the v1 reference), then a few more of its parameters. */
  const examples = [
    "realtime/visitors?site_id=$SITE_ID",
    "aggregate?site_id=$SITE_ID&period=6mo&metrics=visitors,pageviews,bounce_rate,visit_duration",
    "timeseries?site_id=$SITE_ID&period=6mo",
    "breakdown?site_id=$SITE_ID&period=6mo&property=visit:source&metrics=visitors,bounce_rate&limit=5",
    "breakdown?site_id=$SITE_ID&period=6mo&property=event:page&limit=5",
    "aggregate?site_id=$SITE_ID&period=6mo&filters=event:page%3D%3D%2Forder%2Fconfirmation",
    "timeseries?site_id=$SITE_ID&period=6mo&filters=visit:source%3D%3DGoogle",
    "breakdown?site_id=$SITE_ID&period=6mo&property=event:props:method&filters=event:name%3D%3DDownload",
    "aggregate?site_id=$SITE_ID&period=6mo&metrics=visitors,pageviews,bounce_rate,visit_duration&compare=previous_period",
    "aggregate?site_id=$SITE_ID&period=12mo&filters=visit:browser%3D%3DFirefox%3Bvisit:country%3D%3DFR%7CDE",
    "timeseries?site_id=$SITE_ID&period=month&date=2026-11-05&metrics=visitors,pageviews,visit_duration",
    "timeseries?site_id=$SITE_ID&period=30d&interval=date",
    "breakdown?site_id=$SITE_ID&period=6mo&property=event:goal",
    "breakdown?site_id=$SITE_ID&period=7d&property=visit:country&date=2026-11-22&page=2&limit=1",
    "aggregate?site_id=$SITE_ID&period=day&date=2026-11-20&with_imported=true",
  ];
  it.each(examples)("GET /api/v1/stats/%s answers 200", async (example) => {
    const answer = await v1(example.replace("$SITE_ID", site.id));
    expect(answer.status, answer.text).toBe(200);
  });

  it("answers month&date with the whole calendar month of that date", async () => {
    const answer = await v1(`timeseries?site_id=${site.id}&period=month&date=2026-11-05`);
    expect(answer.json.results).toHaveLength(30);
    expect(answer.json.results[0].date).toBe("2026-11-01");
  });
});

describe("refusals", () => {
  it("needs an API key or a session, and answers only for the key's sites", async () => {
    expect((await call(`/v1/stats/aggregate?site_id=${site.id}&period=day`)).status).toBe(401);
    const elsewhere = await v1(`aggregate?site_id=${other.id}&period=day`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json.error).toMatch(/site_id: no site/);
  });

  it.each([
    ["aggregate?site_id=$S&period=week", /^period: "week" is not one of 12mo, 6mo, month, 30d, 7d, day, custom/],
    ["aggregate?site_id=$S&period=custom", /^date: period=custom needs date=YYYY-MM-DD,YYYY-MM-DD/],
    ["aggregate?site_id=$S&period=day&date=yesterday", /^date: "yesterday" is not YYYY-MM-DD/],
    ["aggregate?site_id=$S&metrics=visitors,clicks", /^metrics\.1: metrics are /],
    ["aggregate?site_id=$S&compare=last_year", /^compare: "last_year" is not previous_period/],
    ["aggregate?site_id=$S&property=event:page", /^property: not a parameter of \/api\/v1\/stats\/aggregate/],
    ["aggregate?site_id=$S&filters=country%3D%3DDE", /^filters: expression 1/],
    ["aggregate?site_id=$S&filters=visit:planet%3D%3DMars", /planet/],
    ["aggregate?period=day", /^site_id: required/],
    ["timeseries?site_id=$S&interval=week", /^interval: "week" is not date or month/],
    ["breakdown?site_id=$S", /^property: required/],
    ["breakdown?site_id=$S&property=visit:planet", /unknown dimension "visit:planet"/],
    ["breakdown?site_id=$S&property=event:page&limit=1001", /^limit: a whole number from 1 to 1000/],
    ["breakdown?site_id=$S&property=event:page&page=0", /^page: a whole number from 1 to 1000/],
    ["realtime/visitors", /^site_id: required/],
  ])("GET /api/v1/stats/%s is a 400 naming the problem", async (path, message) => {
    const answer = await v1(path.replace("$S", site.id));
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.error).toMatch(message);
  });
});
