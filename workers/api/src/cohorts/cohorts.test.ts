import { describe, expect, it } from "vitest";
import { type EventRow, insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { MAX_COHORTS } from "@pixel/lib/cohorts";
import { createSite } from "@pixel/lib/d1/accounts";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { eventRow } from "@pixel/test/support/event-row";
import { accessWorld, apiEnv, call, db, signedInUser, unique } from "@pixel/test/support/workers/api";

const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const NOVEMBER: [string, string] = ["2026-11-02", "2026-11-22"];
/** November's weeks as both tests' traffic leaves them: two first seen in the first week, one back; one in the second, back. */
const NOVEMBER_WEEKS = [
  { cohort: "2026-11-02", visitors: 2, periods: [{ visitors: 2, share: 100 }, { visitors: 1, share: 50 }, { visitors: 0, share: 0 }] },
  { cohort: "2026-11-09", visitors: 1, periods: [{ visitors: 1, share: 100 }, { visitors: 1, share: 100 }] },
  { cohort: "2026-11-16", visitors: 0, periods: [{ visitors: 0, share: 0 }] },
];

/** A page load's pageview: the browser's first day and its previous page load's day, as pixel.js's ETag told them. */
const load = (site: string, visitor: string, at: string, first: string, previous: string | null) =>
  eventRow({ site_id: site, visitor_id: visitor, session_id: visitor, timestamp: Date.parse(`${at}Z`), first_visit: day(first), previous_visit: previous ? day(previous) : 0 });

describe("POST /api/v2/retention", () => {
  it("counts each browser once per period: in its first visit's cohort, and in each later period it came back in", async () => {
    const { user, cookie } = await signedInUser();
    const site = (await createSite(db(), { domain: `${unique("cohorts")}.example`, ownerId: user.id })).id;
    await insertEvents(adminClickHouse(apiEnv), [
      load(site, "1", "2026-11-03T09:00:00", "2026-11-03", null),
      load(site, "1", "2026-11-03T09:05:00", "2026-11-03", "2026-11-03"),
      eventRow({ site_id: site, visitor_id: "1", session_id: "1", name: "signup", timestamp: Date.parse("2026-11-03T09:06:00Z"), first_visit: day("2026-11-03") }),
      load(site, "2", "2026-11-10T12:00:00", "2026-11-03", "2026-11-03"),
      load(site, "3", "2026-11-12T12:00:00", "2026-11-03", "2026-11-10"),
      load(site, "4", "2026-11-04T12:00:00", "2026-11-04", null),
      load(site, "5", "2026-11-09T12:00:00", "2026-11-09", null),
      load(site, "6", "2026-11-17T12:00:00", "2026-11-09", "2026-11-09"),
      eventRow({ site_id: site, visitor_id: "7", timestamp: Date.parse("2026-11-05T12:00:00Z") }),
      load(site, "8", "2026-11-03T12:00:00", "2026-10-20", "2026-10-25"),
    ]);
    const response = await call("/v2/retention", { cookie, body: { site_id: site, date_range: NOVEMBER, period: "week" } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      period: "week",
      unit: "browser",
      date_range: NOVEMBER,
      cohorts: NOVEMBER_WEEKS,
    });
    const byDay = await call("/v2/retention", { cookie, body: { site_id: site, date_range: ["2026-11-03", "2026-11-04"], period: "day" } });
    expect(byDay.json.cohorts).toEqual([
      { cohort: "2026-11-03", visitors: 1, periods: [{ visitors: 1, share: 100 }, { visitors: 0, share: 0 }] },
      { cohort: "2026-11-04", visitors: 1, periods: [{ visitors: 1, share: 100 }] },
    ]);
  });

  it("with unit user, counts each user_id by the period of its first event ever, and in each later period it came back in", async () => {
    const { user, cookie } = await signedInUser();
    const site = (await createSite(db(), { domain: `${unique("users")}.example`, ownerId: user.id })).id;
    let visits = 0;
    /** One visit's hit: a new visitor id and session each time, as a user returning on another day or device has. */
    const hit = (user_id: string, at: string, more: Partial<EventRow> = {}) => {
      const id = String(++visits);
      return eventRow({ site_id: site, user_id, visitor_id: id, session_id: id, timestamp: Date.parse(`${at}Z`), ...more });
    };
    await insertEvents(adminClickHouse(apiEnv), [
      hit("ann", "2026-10-28T09:00:00"), // first seen before the range: in no cohort, and not counted when back
      hit("ann", "2026-11-03T09:00:00"),
      hit("bob", "2026-11-03T10:00:00"),
      hit("bob", "2026-11-03T11:00:00"),
      hit("bob", "2026-11-10T10:00:00", { name: "signup", country: "FR" }), // a custom event is activity too
      hit("cy", "2026-11-04T10:00:00"),
      hit("cy", "2026-11-11T10:00:00", { name: "engagement" }), // an engagement hit is not
      hit("dee", "2026-11-10T10:00:00"),
      hit("dee", "2026-11-17T10:00:00"),
      hit("", "2026-11-03T12:00:00"), // no user_id: counted nowhere
    ]);
    const body = { site_id: site, date_range: NOVEMBER, period: "week", unit: "user" };
    const response = await call("/v2/retention", { cookie, body });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      period: "week",
      unit: "user",
      date_range: NOVEMBER,
      cohorts: NOVEMBER_WEEKS,
    });
    // The filters pick the activity, not the cohort: bob stays in the first week's cohort, active only in France.
    const fromFrance = await call("/v2/retention", { cookie, body: { ...body, filters: [["is", "visit:country", ["FR"]]] } });
    expect(fromFrance.json.cohorts[0]).toEqual({ cohort: "2026-11-02", visitors: 0, periods: [{ visitors: 0, share: 0 }, { visitors: 1, share: 0 }, { visitors: 0, share: 0 }] });
    const browsers = await call("/v2/retention", { cookie, body: { ...body, unit: undefined } });
    expect(browsers.json).toMatchObject({ unit: "browser", cohorts: [{ visitors: 0 }, { visitors: 0 }, { visitors: 0 }] });
  });

  it("answers the callers the stats routes answer: a member, a share token for its own site; nobody else", async () => {
    const { a, b, siteAdmin, viewer } = await accessWorld();
    const body = { site_id: a.id, date_range: "30d" };
    expect((await call("/v2/retention", { body })).status).toBe(401);
    expect((await call("/v2/retention", { cookie: viewer.cookie, body })).json).toMatchObject({ period: "week", cohorts: expect.any(Array) });
    const token = (await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "POST" })).json.token;
    const shared = { authorization: `Bearer ${token}` };
    expect((await call("/v2/retention", { headers: shared, body })).status).toBe(200);
    const other = await call("/v2/retention", { headers: shared, body: { ...body, site_id: b.id } });
    expect(other.status).toBe(404);
    expect(other.json.error).toContain("site_id");
  });

  it.each([
    [{ period: "year" }, "period is day, week, month"],
    [{ unit: "person" }, "unit is browser, user"],
    [{ date_range: "12mo", period: "day" }, `at most ${MAX_COHORTS} days`],
    [{ filters: [["is", "visit:nope", ["x"]]] }, "filters"],
    [{ metrics: ["visitors"] }, "metrics"],
    [{ date_range: "someday" }, "date_range"],
  ])("refuses a bad request %# with a 400 naming the problem", async (change, named) => {
    const { a, viewer } = await accessWorld();
    const response = await call("/v2/retention", { cookie: viewer.cookie, body: { site_id: a.id, date_range: "30d", ...change } });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(named);
  });
});
