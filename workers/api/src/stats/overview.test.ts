import { afterEach, describe, expect, it, vi } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import { localDate } from "@pixel/lib/stats/dates";
import type { SiteOverview } from "@pixel/lib/stats/overview";
import { addDays } from "@pixel/lib/time";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { apiEnv, call, db, signedInUser, unique } from "@pixel/test/support/workers/api";

const HOUR = 3_600_000;

afterEach(() => vi.restoreAllMocks());

async function sitesOf(ownerId: string, timezones: string[]) {
  return Promise.all(timezones.map((timezone) => createSite(db(), { domain: `${unique("overview")}.example`, timezone, ownerId })));
}

async function overview(cookie: string): Promise<SiteOverview[]> {
  const response = await call("/sites/overview", { cookie });
  expect(response.status).toBe(200);
  return response.json.sites;
}

describe("GET /api/sites/overview", () => {
  it("answers exactly what per-site v2 queries answer, in each site's timezone", async () => {
    const { user, cookie } = await signedInUser();
    // Kolkata's midnights are not whole UTC hours: its site is read from the events, the others from the sessions table.
    const sites = await sitesOf(user.id, ["UTC", "America/New_York", "Asia/Kolkata"]);
    const now = Date.now();
    const rows = sites.flatMap((site, s) =>
      Array.from({ length: 130 }, (_, k) =>
        eventRow({ site_id: site.id, visitor_id: String((k * (s + 2)) % 23), session_id: String(k), timestamp: now - k * 2.9 * HOUR }),
      ),
    );
    await insertEvents(adminClickHouse(apiEnv), rows);

    const answered = await overview(cookie);
    expect(answered.map((entry) => entry.site_id)).toEqual(expect.arrayContaining(sites.map((site) => site.id)));
    for (const site of sites) {
      const v2 = async (date_range: unknown, dimensions: string[] = []) =>
        (await call("/v2/query", { cookie, body: { site_id: site.id, metrics: ["visitors"], date_range, dimensions } })).json.results as {
          dimensions: string[];
          metrics: number[];
        }[];
      const today = localDate(new Date(), site.timezone);
      const [day, week, previous, daily] = [await v2("day"), await v2("7d"), await v2([addDays(today, -13), addDays(today, -7)]), await v2("7d", ["time:day"])];
      const mine = answered.find((entry) => entry.site_id === site.id)!;
      expect(mine.visitors_today).toBe(day[0]!.metrics[0]);
      expect(mine.visitors_7d).toBe(week[0]!.metrics[0]);
      expect(mine.visitors_previous_7d).toBe(previous[0]!.metrics[0]);
      expect(mine.daily).toEqual(daily.map((row) => ({ date: row.dimensions[0], visitors: row.metrics[0] })));
      expect(mine.visitors_7d).toBeGreaterThan(0);
      expect(mine.visitors_previous_7d).toBeGreaterThan(0);
    }
  });

  it("lists only the sites the user can see", async () => {
    const [mine, other] = [await signedInUser(), await signedInUser()];
    const [site] = await sitesOf(mine.user.id, ["UTC"]);
    await sitesOf(other.user.id, ["UTC"]);
    expect((await overview(mine.cookie)).map((entry) => entry.site_id)).toEqual([site!.id]);
    expect((await call("/sites/overview")).status).toBe(401);
  });

  it("answers 300 sites with one ClickHouse query", async () => {
    const { user, cookie } = await signedInUser();
    const sites = await sitesOf(user.id, Array.from({ length: 300 }, (_, i) => (i % 2 ? "Europe/Berlin" : "Asia/Kolkata")));
    const now = Date.now();
    await insertEvents(
      adminClickHouse(apiEnv),
      sites.flatMap((site, i) => Array.from({ length: i % 4 }, (_, v) => eventRow({ site_id: site.id, visitor_id: String(v), session_id: String(v), timestamp: now - v * 1000 }))),
    );
    const fetches = vi.spyOn(globalThis, "fetch");
    const answered = await overview(cookie);
    const toClickHouse = fetches.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).startsWith(apiEnv.CLICKHOUSE_URL!));
    expect(toClickHouse).toHaveLength(1);
    expect(answered).toHaveLength(300);
    const today = new Map(answered.map((entry) => [entry.site_id, entry.visitors_today]));
    expect(sites.map((site) => today.get(site.id))).toEqual(sites.map((_, i) => i % 4));
  });
});
