import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { CohortPeriod, CohortRow } from "@pixel/lib/cohorts";
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
 * Retention straight from the event rows with plain loops (docs/stats-api.md, "Retention"). The generator keeps a
 * browser's visitor id for good, so here each browser is followed by its id: its cohort is the period of its first
 * pageview ever, and it is active in every period of the range where it has a pageview (in a kept visit). Browsers
 * whose hits came without pixel.js (no first-seen day) are in no cohort.
 */
export function trueRetention(
  rows: EventRow[],
  siteId: string,
  timezone: string,
  period: CohortPeriod,
  [from, to]: [string, string],
  keep: (row: EventRow) => boolean = () => true,
): CohortRow[] {
  const firstDay = new Map<string, string>();
  const activeIn = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.site_id !== siteId || row.name !== "pageview" || row.first_visit === 0) continue;
    const day = localParts(row.timestamp, timezone).slice(0, 10);
    if (!firstDay.has(row.visitor_id) || day < firstDay.get(row.visitor_id)!) firstDay.set(row.visitor_id, day);
    if (day < from || day > to || !keep(row)) continue;
    activeIn.set(periodOf(day, period), (activeIn.get(periodOf(day, period)) ?? new Set()).add(row.visitor_id));
  }
  const periods: string[] = [];
  for (let start = periodOf(from, period); start <= to; start = nextPeriod(start, period)) periods.push(start);
  return periods.map((cohort, c) => {
    const members = new Set([...firstDay].filter(([, day]) => day >= from && day <= to && periodOf(day, period) === cohort).map(([id]) => id));
    const counts = periods.slice(c).map((at) => [...(activeIn.get(at) ?? [])].filter((id) => members.has(id)).length);
    return { cohort, visitors: counts[0]!, periods: counts.map((visitors) => ({ visitors, share: percentOf(visitors, counts[0]!) })) };
  });
}
