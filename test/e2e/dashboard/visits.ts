import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { eventRow } from "../../support/event-row";

/**
 * Builds a site's visits as event rows a few minutes ago, one second apart, never before midnight UTC (the test
 * sites' zone), so every row is "today" unless `when` places it elsewhere.
 */
export function visitsOf(siteId: string) {
  const midnight = new Date().setUTCHours(0, 0, 0, 0);
  const start = Math.max(Date.now() - 4 * 60_000, midnight);
  let step = 0;
  const at = () => start + step++ * 1000;
  const visit = (visitor: string, pages: string[], extra: Partial<EventRow> = {}, when = at): EventRow[] =>
    pages.map((pathname) => eventRow({ site_id: siteId, visitor_id: visitor, session_id: visitor, pathname, timestamp: when(), ...extra }));
  return { midnight, visit };
}
