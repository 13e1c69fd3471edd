import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import type { Site, User } from "@pixel/lib/d1/schema";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import type { ApiContext, ApiEnv } from "../env";
import { normalizeQuery, type QueryAnswer, QueryBody } from "@pixel/lib/stats/query";
import { runCompared } from "@pixel/pages/dashboard/src/load";
import { shapeSeries } from "@pixel/pages/dashboard/src/series";
import { timeseriesQuery } from "@pixel/pages/dashboard/src/stats";
import { statsRoutes } from "./routes";
import { runQuery } from "./run";

// Europe/Berlin: clocks go forward at 02:00 on 2026-03-29 (a 23-hour day) and back at 03:00 on 2026-10-25 (25 hours).
const apiEnv = env as unknown as ApiEnv;
const app = new Hono<ApiContext>();
const unique = crypto.randomUUID().slice(0, 8);
let site: Site;

const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, "0"));
const labels = (date: string, hourList: string[]) => hourList.map((hour) => `${date} ${hour}:00:00`);

beforeAll(async () => {
  const admin = { id: `dst_${unique}`, email: `dst-${unique}@pixel.test`, role: "admin" } as User;
  app.use(async (c, next) => {
    c.set("user", admin);
    c.set("caller", { kind: "user", user: admin });
    await next();
  });
  app.route("/", statsRoutes);
  site = await createSite(drizzle(apiEnv.DB), { domain: `dst-${unique}.example`, timezone: "Europe/Berlin" });
  // One visitor and visit per hit; the comment is the hit's time on Berlin's wall clock.
  const hits = [
    "2026-03-27T23:30:00Z", // 03-28 00:30 CET
    "2026-03-28T01:30:00Z", // 03-28 02:30 CET
    "2026-03-28T02:30:00Z", // 03-28 03:30 CET
    "2026-03-28T23:30:00Z", // 03-29 00:30 CET
    "2026-03-29T01:30:00Z", // 03-29 03:30 CEST: the first hour after the gap
    "2026-03-29T21:30:00Z", // 03-29 23:30 CEST
    "2026-03-29T22:30:00Z", // 03-30 00:30 CEST: the next day
    "2026-10-24T00:30:00Z", // 10-24 02:30 CEST
    "2026-10-25T00:30:00Z", // 10-25 02:30 CEST: the first 02:00 hour
    "2026-10-25T01:10:00Z", // 10-25 02:10 CET: the repeated 02:00 hour
    "2026-10-25T01:50:00Z", // 10-25 02:50 CET
    "2026-10-25T22:30:00Z", // 10-25 23:30 CET
  ];
  const client = adminClickHouse(apiEnv);
  await insertEvents(
    client,
    hits.map((time, i) => eventRow({ site_id: site.id, visitor_id: String(i + 1), session_id: String(100 + i), timestamp: Date.parse(time) })),
  );
  await client.close();
});

async function query(body: Record<string, unknown>) {
  const response = await app.request("/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ site_id: site.id, ...body }) }, apiEnv);
  expect(response.status).toBe(200);
  return (await response.json()) as QueryAnswer;
}

const hourly = (date: string) => ({ metrics: ["visitors", "visits"], date_range: [date, date], dimensions: ["time:hour"], include: { time_labels: true, comparisons: { mode: "previous_period" } } });

describe("a site's timezone across daylight saving changes", () => {
  it("the day the clocks go forward has 23 hourly buckets, without 02:00, each compared with the same hour the day before", async () => {
    const answer = await query(hourly("2026-03-29"));
    const expected = labels("2026-03-29", ["00", "01", ...hours(3, 23)]);
    expect(answer.meta.time_labels).toEqual(expected);
    expect(answer.results.map((row) => row.dimensions[0])).toEqual(expected);
    const counted = answer.results.filter((row) => row.metrics[0]).map((row) => [row.dimensions[0], row.metrics, row.comparison]);
    expect(counted).toEqual([
      ["2026-03-29 00:00:00", [1, 1], { dimensions: ["2026-03-28 00:00:00"], metrics: [1, 1], change: [0, 0] }],
      ["2026-03-29 03:00:00", [1, 1], { dimensions: ["2026-03-28 03:00:00"], metrics: [1, 1], change: [0, 0] }],
      ["2026-03-29 23:00:00", [1, 1], { dimensions: ["2026-03-28 23:00:00"], metrics: [0, 0], change: [null, null] }],
    ]);
    // 03-28 02:30 has no hour to pair with on the 29th.
    expect(answer.results.some((row) => row.comparison?.dimensions[0] === "2026-03-28 02:00:00")).toBe(false);
  });

  it("the day the clocks go back has 25 hourly buckets, with 02:00 twice in order", async () => {
    const answer = await query(hourly("2026-10-25"));
    const expected = labels("2026-10-25", ["00", "01", "02", "02", ...hours(3, 23)]);
    expect(answer.meta.time_labels).toEqual(expected);
    expect(answer.results.map((row) => row.dimensions[0])).toEqual(expected);
    expect(answer.results.slice(2, 4)).toEqual([
      { dimensions: ["2026-10-25 02:00:00"], metrics: [1, 1], comparison: { dimensions: ["2026-10-24 02:00:00"], metrics: [1, 1], change: [0, 0] } },
      { dimensions: ["2026-10-25 02:00:00"], metrics: [2, 2], comparison: { dimensions: ["2026-10-25 02:00:00"], metrics: [0, 0], change: [null, null] } },
    ]);
    expect(answer.results[24]).toMatchObject({ dimensions: ["2026-10-25 23:00:00"], metrics: [1, 1] });
  });

  it("draws in the dashboard as the api answers: 25 hours, each 02:00 with its own value and comparison", async () => {
    const scope = { siteId: site.id, range: ["2026-10-25", "2026-10-25"] as [string, string], filters: [] };
    const { response, previous } = await runCompared(query, timeseriesQuery(scope, "visitors", "hour"), { mode: "previous_period" });
    const series = shapeSeries({ response, previousRows: previous, interval: "hour", gap: 0 });
    expect(series.keys).toEqual(labels("2026-10-25", ["00", "01", "02", "02", ...hours(3, 23)]));
    expect(series.current.slice(2, 4)).toEqual([1, 2]);
    expect(series.previous?.slice(2, 4)).toEqual([1, 0]);
  });

  it("local days span 23 and 25 hours of real time", async () => {
    const answer = await query({ metrics: ["visitors", "pageviews"], date_range: ["2026-03-28", "2026-03-30"], dimensions: ["time:day"], include: { time_labels: true } });
    expect(answer.meta.time_labels).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(answer.results).toEqual([
      { dimensions: ["2026-03-28"], metrics: [3, 3] },
      { dimensions: ["2026-03-29"], metrics: [3, 3] },
      { dimensions: ["2026-03-30"], metrics: [1, 1] },
    ]);
    const autumn = await query({ metrics: ["visits"], date_range: ["2026-10-25", "2026-10-25"] });
    expect(autumn.results).toEqual([{ dimensions: [], metrics: [4] }]);
  });

  it("gives the same answers from the sessions table and from events alone", async () => {
    const client = adminClickHouse(apiEnv);
    for (const date of ["2026-03-29", "2026-10-25"]) {
      const normalized = normalizeQuery(v.parse(QueryBody, { site_id: site.id, ...hourly(date) }), { timezone: "Europe/Berlin", createdAt: new Date("2026-01-01") });
      const [stored, events] = await Promise.all(
        [true, false].map((sessionsTable) => runQuery(client, normalized, { timezone: "Europe/Berlin", goals: [], sessionsTable })),
      );
      expect(stored).toEqual(events);
    }
    await client.close();
  });
});
