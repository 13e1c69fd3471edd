import { PART_DROP_REASONS } from "@pixel/lib/events/message";
import type { DropsSummary } from "@pixel/lib/stats/drops";

export interface DropRow {
  day: string;
  reason: string;
  detail: string;
  hits: number;
}

/** Shapes the per day, reason and detail sums into totals per reason and per day. */
export function summarize(
  rows: DropRow[],
  range: { from: string; to: string },
  known: readonly string[],
  addDays: (day: string, days: number) => string,
): DropsSummary {
  const reasons = new Map<string, { hits: number; details: Map<string, number> }>(
    known.map((reason) => [reason, { hits: 0, details: new Map() }]),
  );
  const days = new Map<string, Record<string, number>>();
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.set(day, {});
  for (const row of rows) {
    const reason = reasons.get(row.reason) ?? reasons.set(row.reason, { hits: 0, details: new Map() }).get(row.reason)!;
    reason.hits += row.hits;
    if (row.detail) reason.details.set(row.detail, (reason.details.get(row.detail) ?? 0) + row.hits);
    const perDay = days.get(row.day);
    if (perDay) perDay[row.reason] = (perDay[row.reason] ?? 0) + row.hits;
  }
  const byHits = <T extends { hits: number }>(list: T[]) => list.sort((a, b) => b.hits - a.hits);
  const droppedHits = (counts: [string, number][]) => counts.reduce((sum, [reason, hits]) => (PART_DROP_REASONS.includes(reason) ? sum : sum + hits), 0);
  return {
    ...range,
    total: droppedHits(rows.map((row) => [row.reason, row.hits])),
    reasons: [...reasons].map(([reason, { hits, details }]) => ({
      reason,
      hits,
      details: byHits([...details].map(([detail, count]) => ({ detail, hits: count }))),
    })),
    days: [...days].map(([day, counts]) => ({ day, total: droppedHits(Object.entries(counts)), reasons: counts })),
  };
}
