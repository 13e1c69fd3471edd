import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { FunnelStep } from "@pixel/lib/funnels";
import { localParts } from "./generate";
import { completes } from "./truth";

export interface TrueFunnelStep {
  visitors: number;
  /** Each visit's time from the previous step, for the visits that took both; empty on the first step. */
  gapsMs: number[];
}

const takes = (step: FunnelStep, event: EventRow) =>
  step.kind === "page"
    ? completes({ name: "", kind: "page", value: step.pagePath }, event)
    : event.name === step.eventName && (!step.property || event.props[step.property.name] === step.property.value);

/**
 * A funnel straight from the event rows with plain loops (docs/stats-api.md, "Funnels"): per visit, each step's
 * first event after the previous step's (by time, then event id); a visitor counts at the furthest step a visit took.
 */
export function trueFunnel(
  rows: EventRow[],
  siteId: string,
  timezone: string,
  steps: FunnelStep[],
  range: [string, string],
  /** Which visits count, given their events in time order. */
  visitFilter: (visitEvents: EventRow[]) => boolean = () => true,
): TrueFunnelStep[] {
  const reachedBy = steps.map(() => new Set<string>());
  const gaps: number[][] = steps.map(() => []);
  for (const { events, positions } of funnelVisits(rows, siteId, timezone, steps, range, visitFilter)) {
    for (const [k, position] of positions.entries()) {
      reachedBy[k]!.add(events[position]!.visitor_id);
      if (k > 0) gaps[k]!.push(events[position]!.timestamp - events[positions[k - 1]!]!.timestamp);
    }
  }
  return steps.map((_, k) => ({ visitors: reachedBy[k]!.size, gapsMs: gaps[k]! }));
}

/**
 * A step's drop-off with plain loops: the visitors whose furthest visit took `step` (1-based) steps, under the first
 * page each such visit viewed after that step ('' when it ended there); page → visitors.
 */
export function trueDropOff(
  rows: EventRow[],
  siteId: string,
  timezone: string,
  steps: FunnelStep[],
  range: [string, string],
  step: number,
  visitFilter: (visitEvents: EventRow[]) => boolean = () => true,
): Map<string, number> {
  const visits = funnelVisits(rows, siteId, timezone, steps, range, visitFilter);
  const furthest = new Map<string, number>();
  for (const { events, positions } of visits) {
    const visitor = events[0]!.visitor_id;
    furthest.set(visitor, Math.max(furthest.get(visitor) ?? 0, positions.length));
  }
  const visitorsByPage = new Map<string, Set<string>>();
  for (const { events, positions } of visits) {
    const visitor = events[0]!.visitor_id;
    if (positions.length !== step || furthest.get(visitor) !== step) continue;
    const page = events.find((event, i) => i > positions[step - 1]! && event.name === "pageview")?.pathname ?? "";
    visitorsByPage.set(page, (visitorsByPage.get(page) ?? new Set()).add(visitor));
  }
  return new Map([...visitorsByPage].map(([page, visitors]) => [page, visitors.size]));
}

/**
 * Each visit in range with its events in time order (by time, then event id) and the position of each step it took:
 * each step's first event after the previous step's; the list stops at the first step it missed.
 */
function funnelVisits(
  rows: EventRow[],
  siteId: string,
  timezone: string,
  steps: FunnelStep[],
  range: [string, string],
  visitFilter: (visitEvents: EventRow[]) => boolean,
): { events: EventRow[]; positions: number[] }[] {
  const walked: { events: EventRow[]; positions: number[] }[] = [];
  for (const events of visitsInRange(rows, siteId, timezone, range, visitFilter)) {
    const positions: number[] = [];
    for (const step of steps) {
      const next = events.findIndex((event, i) => i > (positions.at(-1) ?? -1) && takes(step, event));
      if (next < 0) break;
      positions.push(next);
    }
    walked.push({ events, positions });
  }
  return walked;
}

/** Each visit's events in the range (local dates), once per event id, in time order (by time, then event id). */
export function visitsInRange(
  rows: EventRow[],
  siteId: string,
  timezone: string,
  [from, to]: [string, string],
  visitFilter: (visitEvents: EventRow[]) => boolean = () => true,
): EventRow[][] {
  const unique = new Map(rows.filter((row) => row.site_id === siteId).map((row) => [row.event_id, row]));
  const visits = new Map<string, EventRow[]>();
  for (const row of unique.values()) {
    const day = localParts(row.timestamp, timezone).slice(0, 10);
    if (day < from || day > to) continue;
    visits.set(row.session_id, [...(visits.get(row.session_id) ?? []), row]);
  }
  const sorted = [...visits.values()].map((events) =>
    events.sort((a, b) => a.timestamp - b.timestamp || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0)),
  );
  return sorted.filter(visitFilter);
}

/** The middle value; of an even count, the upper of the two middle ones (ClickHouse's quantileExact(0.5)). */
export function upperMedian(values: number[]): number | null {
  if (!values.length) return null;
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
