import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { CohortKind, CohortPeriod, CohortRow, CohortUnit } from "@pixel/lib/cohorts";
import { percentOf } from "@pixel/lib/stats/percent";
import { addDays, addMonths } from "@pixel/lib/time";
import { localParts } from "./generate";

/** The first day of the period a local date falls in (weeks start on Monday). */
function periodOf(date: string, period: CohortPeriod): string {
  if (period === "day") return date;
  if (period === "month") return `${date.slice(0, 8)}01`;
  return addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
}

const nextPeriod = (start: string, period: CohortPeriod) => (period === "day" ? addDays(start, 1) : period === "week" ? addDays(start, 7) : addMonths(start, 1));

/**
 * Whom a row of activity belongs to, or null. The generator keeps a browser's visitor id for good, so a browser is
 * followed by its id through its pageviews (those whose hits came without pixel.js, with no first-seen day, by none);
 * a user by its `user_id` through its pageviews and custom events.
 */
const FOLLOWED: Record<CohortUnit, (row: EventRow) => string | null> = {
  browser: (row) => (row.name === "pageview" && row.first_visit !== 0 ? row.visitor_id : null),
  user: (row) => (row.name !== "engagement" && row.user_id ? row.user_id : null),
};

/**
 * Retention straight from the event rows with plain loops (docs/stats-api.md, "Retention"): a browser's or user's
 * cohort is the period of its first activity ever (before the range too), and it is active in every period of the
 * range where it has activity (in a kept visit).
 */
export function trueRetention(
  rows: EventRow[],
  siteId: string,
  timezone: string,
  { period, unit }: CohortKind,
  [from, to]: [string, string],
  keep: (row: EventRow) => boolean = () => true,
): CohortRow[] {
  const firstDay = new Map<string, string>();
  const activeIn = new Map<string, Set<string>>();
  for (const row of rows) {
    const id = row.site_id === siteId ? FOLLOWED[unit](row) : null;
    if (id === null) continue;
    const day = localParts(row.timestamp, timezone).slice(0, 10);
    if (!firstDay.has(id) || day < firstDay.get(id)!) firstDay.set(id, day);
    if (day < from || day > to || !keep(row)) continue;
    activeIn.set(periodOf(day, period), (activeIn.get(periodOf(day, period)) ?? new Set()).add(id));
  }
  const periods: string[] = [];
  for (let start = periodOf(from, period); start <= to; start = nextPeriod(start, period)) periods.push(start);
  return periods.map((cohort, c) => {
    const members = new Set([...firstDay].filter(([, day]) => day >= from && day <= to && periodOf(day, period) === cohort).map(([id]) => id));
    const counts = periods.slice(c).map((at) => [...(activeIn.get(at) ?? [])].filter((id) => members.has(id)).length);
    return { cohort, visitors: counts[0]!, periods: counts.map((visitors) => ({ visitors, share: percentOf(visitors, counts[0]!) })) };
  });
}
