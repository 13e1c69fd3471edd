import { describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { apiEnv, call, db, signedInUser, unique } from "@pixel/test/support/workers/api";

const MINUTE = 60_000;
// A fixed day: a visit started 30 minutes before "now" falls on yesterday just after midnight.
const DAY = "2026-11-18";

describe("visit:visitor_type", () => {
  // A UTC site is read from the sessions table, a Kolkata one (midnights off the UTC hour) from the events.
  for (const timezone of ["UTC", "Asia/Kolkata"]) {
    it(`breaks visits down and filters them by new or returning, from the visit's first hit (${timezone})`, async () => {
      const { user, cookie } = await signedInUser();
      const site = await createSite(db(), { domain: `${unique("returning")}.example`, timezone, ownerId: user.id });
      const start = Date.parse(`${DAY}T12:00:00Z`);
      const visit = (session: string, visitor: string, types: ("" | "new" | "returning")[]) =>
        types.map((visitor_type, k) => eventRow({ site_id: site.id, session_id: session, visitor_id: visitor, visitor_type, timestamp: start + k * MINUTE }));
      await insertEvents(adminClickHouse(apiEnv), [
        ...visit("1", "11", ["new", "new"]),
        ...visit("2", "12", ["returning"]),
        ...visit("3", "13", ["returning", "returning", "returning"]),
        ...visit("4", "14", [""]),
      ]);
      const query = async (extra: object) =>
        (await call("/v2/query", { cookie, body: { site_id: site.id, metrics: ["visitors", "visits", "pageviews"], date_range: [DAY, DAY], ...extra } })).json;

      const byType = await query({ dimensions: ["visit:visitor_type"], order_by: [["visit:visitor_type", "asc"]] });
      expect(byType.results).toEqual([
        { dimensions: [""], metrics: [1, 1, 1] },
        { dimensions: ["new"], metrics: [1, 1, 2] },
        { dimensions: ["returning"], metrics: [2, 2, 4] },
      ]);
      const returning = await query({ filters: [["is", "visit:visitor_type", ["returning"]]] });
      expect(returning.results).toEqual([{ dimensions: [], metrics: [2, 2, 4] }]);
    });
  }
});
