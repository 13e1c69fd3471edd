import { describe, expect, it } from "vitest";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { eventRow } from "@pixel/test/support/event-row";
import { accessWorld, call } from "@pixel/test/support/workers/api";
import { clickHouse } from "@pixel/test/support/workers/api-data";

const steps = [
  { kind: "page", pagePath: "/" },
  { kind: "page", pagePath: "/pricing*" },
  { kind: "event", eventName: "Signup", property: { name: "plan", value: "pro" } },
];
const t0 = Date.parse("2026-11-20T10:00:00Z");
const pro = { plan: "pro" };

/**
 * Four visitors: one converts, one takes the steps out of order (and reads /docs after the home page), one signs up
 * in another visit (after reading /about on the pricing page), one from France who leaves at the pricing page.
 */
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
    hit("2", "21", 15, { pathname: "/docs" }),
    hit("2", "21", 20, { name: "Signup", pathname: "/", props: pro }),
    hit("3", "31", 0, { pathname: "/" }),
    hit("3", "31", 30, { pathname: "/pricing" }),
    hit("3", "31", 35, { pathname: "/about" }),
    hit("3", "31", 40, { name: "Signup", pathname: "/pricing", props: { plan: "free" } }),
    hit("3", "32", 3600, { name: "Signup", pathname: "/", props: pro }),
    hit("4", "41", 0, { pathname: "/", country: "FR" }),
    hit("4", "41", 90, { pathname: "/pricing", country: "FR" }),
  ]);
  await client.close();
  const funnel = (await call(`/sites/${site_id}/funnels`, { cookie: world.siteAdmin.cookie, body: { name: "Pro signup", steps } })).json.funnel;
  const report = (body: unknown) => call(`/sites/${site_id}/funnels/${funnel.id}/report`, { cookie: world.viewer.cookie, body });
  const dropOff = (body: unknown) => call(`/sites/${site_id}/funnels/${funnel.id}/drop-off`, { cookie: world.viewer.cookie, body });
  return { ...world, funnel, report, dropOff };
}

const november = { date_range: ["2026-11-01", "2026-11-30"] };

describe("funnel report", { timeout: 30_000 }, () => {
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

describe("funnel drop-off", { timeout: 30_000 }, () => {
  it("lists where the visitors who stopped at a step went next, '' for a visit that ended there", async () => {
    const { dropOff, funnel } = await funnelWorld();
    const first = await dropOff({ ...november, step: 1 });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ funnel, date_range: ["2026-11-01", "2026-11-30"], step: 1, next_pages: [{ page: "/docs", visitors: 1 }] });
    const second = await dropOff({ ...november, step: 2 });
    expect(second.json.next_pages).toEqual([
      { page: "", visitors: 1 },
      { page: "/about", visitors: 1 },
    ]);
  });

  it("applies the filters and the date range, and its visitors add up to the report's drop-off", async () => {
    const { dropOff, report } = await funnelWorld();
    const french = { ...november, filters: [["is", "visit:country", ["FR"]]] };
    expect((await dropOff({ ...french, step: 2 })).json.next_pages).toEqual([{ page: "", visitors: 1 }]);
    expect((await dropOff({ ...french, step: 1 })).json.next_pages).toEqual([]);
    expect((await dropOff({ date_range: ["2026-10-01", "2026-10-31"], step: 1 })).json.next_pages).toEqual([]);
    const steps = (await report(november)).json.steps as { drop_off: number | null }[];
    for (const step of [1, 2]) {
      const pages = (await dropOff({ ...november, step })).json.next_pages as { visitors: number }[];
      expect(pages.reduce((sum, page) => sum + page.visitors, 0)).toBe(steps[step - 1]!.drop_off);
    }
  });

  it("refuses a step without a next one, or none, with a 400 naming it", async () => {
    const { dropOff, a, funnel } = await funnelWorld();
    for (const step of [3, 0, 1.5, "1", undefined]) {
      const refused = await dropOff({ ...november, step });
      expect(refused.status, String(step)).toBe(400);
      expect(refused.json.error).toContain("step");
    }
    expect((await call(`/sites/${a.id}/funnels/${funnel.id}/drop-off`, { body: { ...november, step: 1 } })).status).toBe(401);
  });
});
