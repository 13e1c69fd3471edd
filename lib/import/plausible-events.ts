import type { EventRow } from "../clickhouse/tables/events";
import { count, isCustomEvent, parseDate, type Shortfall, type Visit, visitsOf } from "./plausible";
import { LineError } from "./site";

/** A row of Plausible's imported_custom_events: how often an event happened on a day, and to how many visitors. */
export interface CustomEvents {
  line: number;
  date: string;
  name: string;
  url: string;
  path: string;
  visitors: number;
  events: number;
}

export function customEventsRow(line: number, values: Record<string, string>): CustomEvents {
  const name = (values.name ?? "").trim();
  if (!name || name === "pageview" || name === "engagement") throw new LineError(`name: ${JSON.stringify(name)} is not a custom event`);
  const row = {
    line,
    date: parseDate(values.date ?? ""),
    name: name.slice(0, 100),
    url: (values.link_url ?? "").trim().slice(0, 500),
    path: (values.path ?? "").trim().slice(0, 1024),
    visitors: count(values, "visitors"),
    events: count(values, "events"),
  };
  if (row.events < row.visitors) throw new LineError("events: fewer than visitors");
  return row;
}

/**
 * Custom events as events inside the day's visits, the same every time. They go only into visits that did not
 * bounce (a custom event makes a visit interactive), at each visit's start (its duration stays), each event in
 * visits of as many distinct visitors as the file says; the day's other figures do not change.
 */
export function placeCustomEvents(rows: EventRow[], wanted: CustomEvents[]): { rows: EventRow[]; shortfalls: Shortfall[] } {
  const candidates = visitsOf(rows.filter((row) => !isCustomEvent(row))).filter((visit) => visit.pageviews.length !== 1);
  const placed: EventRow[] = [];
  const shortfalls: Shortfall[] = [];
  const counts = new Map<Visit, number>();
  let cursor = 0;
  for (const event of [...wanted].sort((a, b) => b.visitors - a.visitors || a.line - b.line)) {
    const chosen: Visit[] = [];
    const visitors = new Set<string>();
    for (let tried = 0; tried < candidates.length && chosen.length < Math.max(event.visitors, 1); tried++) {
      const visit = candidates[(cursor + tried) % candidates.length]!;
      if (visitors.has(visit.events[0]!.visitor_id)) continue;
      visitors.add(visit.events[0]!.visitor_id);
      chosen.push(visit);
    }
    cursor = (cursor + chosen.length) % Math.max(candidates.length, 1);
    if (chosen.length < event.visitors || !chosen.length) {
      shortfalls.push({ line: event.line, error: `visitors: the day has ${chosen.length} visitors in visits that did not bounce, the row wants ${event.visitors}` });
    }
    for (let k = 0; chosen.length && k < event.events; k++) {
      const visit = chosen[k % chosen.length]!;
      const n = counts.get(visit) ?? 0;
      counts.set(visit, n + 1);
      placed.push(customEvent(visit, n, event));
    }
  }
  return { rows: placed, shortfalls };
}

function customEvent(visit: Visit, n: number, event: CustomEvents): EventRow {
  const first = visit.events[0]!;
  const props: Record<string, string> = {};
  if (event.url) props.url = event.url;
  if (event.path) props.path = event.path;
  return {
    ...first,
    event_id: `${first.event_id.slice(0, first.event_id.lastIndexOf(":"))}:c${n}`,
    name: event.name,
    pathname: event.path || visit.pageviews.at(-1)?.pathname || first.pathname,
    engaged_ms: 0,
    props,
  };
}
