import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { LIMITS } from "@pixel/lib/events/hit";

const DAY_MS = 86_400_000;
const BRIDGE_MS = 30 * 60_000;

/**
 * The rows with visitor ids as the collector makes them (generate.ts keeps one id per visitor for good): salted for
 * the UTC day a hit arrives, so an id lives one day. A visitor seen in the last half hour before UTC midnight keeps
 * that day's id for the first half hour after it (VisitorBridge). The visits whose session number is a multiple of
 * `lateEvery` arrive as late as the collector takes them (LIMITS.maxAgeMs) from pixel.js's queue of unsent hits, under
 * the id of the day they arrive: a day later, or two for a hit from the last hour before midnight.
 */
export function withDailyVisitorIds(rows: EventRow[], lateEvery = 5): EventRow[] {
  const late = (row: EventRow) => BigInt(row.session_id) % BigInt(lateEvery) === 0n;
  const arrival = (row: EventRow) => Math.floor((row.timestamp + (late(row) ? LIMITS.maxAgeMs : 0)) / DAY_MS);
  const beforeMidnight = new Set<string>();
  for (const row of rows) {
    if (!late(row) && DAY_MS - (row.timestamp % DAY_MS) <= BRIDGE_MS) beforeMidnight.add(`${row.visitor_id}:${arrival(row)}`);
  }
  return rows.map((row) => {
    let day = arrival(row);
    const bridged = !late(row) && row.timestamp % DAY_MS < BRIDGE_MS && beforeMidnight.has(`${row.visitor_id}:${day - 1}`);
    if (bridged) day -= 1;
    return { ...row, visitor_id: String(BigInt(row.visitor_id) * 100_000n + BigInt(day)) };
  });
}
