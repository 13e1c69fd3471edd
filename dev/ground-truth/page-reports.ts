import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { SCROLL_BUCKET, SCROLL_BUCKETS } from "@pixel/lib/stats/page-reports";
import { visitsInRange } from "./funnel";

type VisitFilter = (visitEvents: EventRow[]) => boolean;

/** Each key's visitors and events (engagement hits aside) with plain loops: key → [visitors, events]. */
export function truePropertyKeys(rows: EventRow[], siteId: string, timezone: string, range: [string, string], visitFilter?: VisitFilter) {
  const keys = new Map<string, { visitors: Set<string>; events: number }>();
  for (const events of visitsInRange(rows, siteId, timezone, range, visitFilter)) {
    for (const event of events.filter((event) => event.name !== "engagement")) {
      for (const key of Object.keys(event.props)) {
        const entry = keys.get(key) ?? { visitors: new Set(), events: 0 };
        entry.visitors.add(event.visitor_id);
        entry.events++;
        keys.set(key, entry);
      }
    }
  }
  return new Map([...keys].map(([key, { visitors, events }]) => [key, [visitors.size, events]]));
}

/** Visits per scroll bucket of a page with plain loops: each visit once, at its deepest engagement hit on the page. */
export function trueScrollBuckets(rows: EventRow[], siteId: string, timezone: string, range: [string, string], page: string, visitFilter?: VisitFilter): number[] {
  const buckets = Array.from({ length: SCROLL_BUCKETS }, () => 0);
  for (const events of visitsInRange(rows, siteId, timezone, range, visitFilter)) {
    const depths = events.filter((event) => event.name === "engagement" && event.pathname === page).map((event) => event.scroll_depth);
    if (depths.length) buckets[Math.min(Math.floor(Math.max(...depths) / SCROLL_BUCKET), SCROLL_BUCKETS - 1)]!++;
  }
  return buckets;
}
