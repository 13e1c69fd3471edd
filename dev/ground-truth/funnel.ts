import type { EventRow } from "../../lib/clickhouse/tables/events";
import type { FunnelStep } from "../../lib/funnels";
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
  [from, to]: [string, string],
  /** Which visits count, given their events in time order. */
  visitFilter: (visitEvents: EventRow[]) => boolean = () => true,
): TrueFunnelStep[] {
  const unique = new Map(rows.filter((row) => row.site_id === siteId).map((row) => [row.event_id, row]));
  const visits = new Map<string, EventRow[]>();
  for (const row of unique.values()) {
    const day = localParts(row.timestamp, timezone).slice(0, 10);
    if (day < from || day > to) continue;
    visits.set(row.session_id, [...(visits.get(row.session_id) ?? []), row]);
  }
  const reachedBy = steps.map(() => new Set<string>());
  const gaps: number[][] = steps.map(() => []);
  for (const events of visits.values()) {
    events.sort((a, b) => a.timestamp - b.timestamp || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0));
    if (!visitFilter(events)) continue;
    let position = -1;
    let previous = 0;
    for (const [k, step] of steps.entries()) {
      const next = events.findIndex((event, i) => i > position && takes(step, event));
      if (next < 0) break;
      reachedBy[k]!.add(events[next]!.visitor_id);
      if (k > 0) gaps[k]!.push(events[next]!.timestamp - previous);
      previous = events[next]!.timestamp;
      position = next;
    }
  }
  return steps.map((_, k) => ({ visitors: reachedBy[k]!.size, gapsMs: gaps[k]! }));
}

/** The middle value; of an even count, the upper of the two middle ones (ClickHouse's quantileExact(0.5)). */
export function upperMedian(values: number[]): number | null {
  if (!values.length) return null;
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
