import { describe, expect, it } from "vitest";
import { insertEvents } from "../../../../lib/clickhouse/tables/events";
import { eventRow } from "../../../../test/support/event-row";
import { accessWorld, call } from "../../../../test/support/workers/api";
import { clickHouse } from "../../../../test/support/workers/api-data";

const steps = [
  { kind: "page", pagePath: "/" },
  { kind: "page", pagePath: "/pricing*" },
  { kind: "event", eventName: "Signup", property: { name: "plan", value: "pro" } },
];
const t0 = Date.parse("2026-11-20T10:00:00Z");
const pro = { plan: "pro" };

/** Four visitors: one converts, one takes the steps out of order, one signs up in another visit, one from France. */
async function funnelWorld() {
  const world = await accessWorld();
  const site_id = world.a.id;
  const hit = (visitor: string, session: string, seconds: number, fields: Parameters<typeof eventRow>[0]) =>
    eventRow({ site_id, visitor_id: visitor, session_id: session, timestamp: t0 + seconds * 1000, ...fields });
  const client = clickHouse();
  await insertEvents(client, [
    hit("1", "11", 0, { pathname: "/" }),
    hit("1", "11", 60, { pathname: "/pricing/pro" }),
    hit("1", "11", 180, { name: "Signup", pathname: "/pricing/pro", props: pro }),
    hit("2", "21", 0, { pathname: "/pricing" }),
    hit("2", "21", 10, { pathname: "/" }),
    hit("2", "21", 20, { name: "Signup", pathname: "/", props: pro }),
    hit("3", "31", 0, { pathname: "/" }),
    hit("3", "31", 30, { pathname: "/pricing" }),
    hit("3", "31", 40, { name: "Signup", pathname: "/pricing", props: { plan: "free" } }),
    hit("3", "32", 3600, { name: "Signup", pathname: "/", props: pro }),
    hit("4", "41", 0, { pathname: "/", country: "FR" }),
    hit("4", "41", 90, { pathname: "/pricing", country: "FR" }),
  ]);
  await client.close();
  const funnel = (await call(`/sites/${site_id}/funnels`, { cookie: world.siteAdmin.cookie, body: { name: "Pro signup", steps } })).json.funnel;
  const report = (body: unknown) => call(`/sites/${site_id}/funnels/${funnel.id}/report`, { cookie: world.viewer.cookie, body });
  return { ...world, funnel, report };
}

const november = { date_range: ["2026-11-01", "2026-11-30"] };

describe("funnel report", () => {
  it("counts the visitors who took the steps in order within one visit, with drop-off and median time", async () => {
    const { report } = await funnelWorld();
    const response = await report(november);
    expect(response.status).toBe(200);
    expect(response.json.steps).toEqual([
      { visitors: 4, conversion_rate: 100, drop_off: 1, median_ms_from_previous: null },
      { visitors: 3, conversion_rate: 75, drop_off: 2, median_ms_from_previous: 60_000 },
      { visitors: 1, conversion_rate: 25, drop_off: null, median_ms_from_previous: 120_000 },
    ]);
    expect(response.json.conversion_rate).toBe(25);
  });

  it("applies the site's filters and the date range", async () => {
    const { report } = await funnelWorld();
    const french = await report({ ...november, filters: [["is", "visit:country", ["FR"]]] });
    expect(french.json.steps).toEqual([
      { visitors: 1, conversion_rate: 100, drop_off: 0, median_ms_from_previous: null },
      { visitors: 1, conversion_rate: 100, drop_off: 1, median_ms_from_previous: 90_000 },
      { visitors: 0, conversion_rate: 0, drop_off: null, median_ms_from_previous: null },
    ]);
    const october = await report({ date_range: ["2026-10-01", "2026-10-31"] });
    expect(october.json.steps.map((step: { visitors: number }) => step.visitors)).toEqual([0, 0, 0]);
    expect(october.json.conversion_rate).toBe(0);
  });

  it("refuses bad input with a 400 naming it, an unknown funnel with a 404, and strangers with a 401", async () => {
    const { a, viewer, funnel, report } = await funnelWorld();
    const badFilter = await report({ ...november, filters: [["is", "visit:shoe_size", ["9"]]] });
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.error).toContain("shoe_size");
    const badRange = await report({ date_range: "someday" });
    expect(badRange.status).toBe(400);
    expect(badRange.json.error).toContain("date_range");
    const extra = await report({ ...november, metrics: ["visitors"] });
    expect(extra.status).toBe(400);
    expect(extra.json.error).toContain("metrics");
    const unknown = await call(`/sites/${a.id}/funnels/nope/report`, { cookie: viewer.cookie, body: november });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toContain("funnelId");
    expect((await call(`/sites/${a.id}/funnels/${funnel.id}/report`, { body: november })).status).toBe(401);
  });
});
