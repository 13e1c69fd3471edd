import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { rebuildPages } from "@pixel/lib/clickhouse/tables/pages";
import { forgetSessions } from "@pixel/lib/clickhouse/tables/sessions";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import {
  applyBreakdown,
  type Breakdown,
  breakdownRow,
  type BreakdownTable,
  dayPrefix,
  isCustomEvent,
  PREFIX,
  synthesizeDay,
  type VisitorsDay,
  visitorsDay,
} from "@pixel/lib/import/plausible";
import { type CustomEvents, customEventsRow, placeCustomEvents } from "@pixel/lib/import/plausible-events";
import type { ImportSite } from "@pixel/lib/import/site";
import { addDays } from "@pixel/lib/time";
import { parsed, type Report, type Rows, write } from "./report";

// Plausible's files change stored synthetic events: imported_visitors makes each day's visits, the other files read
// a day's events, give them values (or add custom events) and write them again. See docs/data.md.

/** A day whose visits are already stored as they would be made again is left alone, with its breakdowns. */
export async function importVisitors(client: ClickHouseClient, rows: Rows, site: ImportSite, report: Report) {
  const days = new Map<string, VisitorsDay>();
  for await (const day of parsed(rows, report, visitorsDay)) days.set(day.date, day);
  for (const dates of weeks([...days.keys()])) {
    const stored = await storedDays(client, site, dates, VISIT_KEYS);
    for (const date of dates) {
      const events = await synthesizeDay(days.get(date)!, site);
      const before = stored.get(date) ?? [];
      if (sameVisits(before, events)) continue;
      if (before.length) await Promise.all([forgetSessions(client, site.id, before), deleteDay(client, site, date)]);
      await write(client, events, report);
      if (before.length) await rebuildPages(client, site.id, [...before, ...events].map((row) => row.timestamp));
    }
  }
}

export async function importBreakdown(client: ClickHouseClient, table: BreakdownTable, rows: Rows, site: ImportSite, report: Report) {
  const byDate = new Map<string, Breakdown[]>();
  for await (const row of parsed(rows, report, (values, line) => breakdownRow(table, line, values, site))) {
    group(byDate, row.date, row);
  }
  // A day at a time: all of a day's events are read, changed and written again.
  for (const date of [...byDate.keys()].sort()) {
    const breakdowns = byDate.get(date)!;
    const events = (await storedDays(client, site, [date], "*")).get(date);
    if (!events?.length) {
      for (const { line } of breakdowns) report.skip(line, `date: no visits on ${date}; import imported_visitors first`);
      continue;
    }
    const applied = applyBreakdown(table, events, breakdowns);
    for (const { line, error } of applied.shortfalls) report.skip(line, error);
    await forgetSessions(client, site.id, events);
    await write(client, applied.rows, report);
    await rebuildPages(client, site.id, [...events, ...applied.rows].map((row) => row.timestamp));
  }
}

/** A day's custom events are replaced as a whole when the file places them differently. */
export async function importCustomEvents(client: ClickHouseClient, rows: Rows, site: ImportSite, report: Report) {
  const byDate = new Map<string, CustomEvents[]>();
  for await (const row of parsed(rows, report, (values, line) => customEventsRow(line, values))) group(byDate, row.date, row);
  for (const date of [...byDate.keys()].sort()) {
    const wanted = byDate.get(date)!;
    const stored = (await storedDays(client, site, [date], "*")).get(date) ?? [];
    if (!stored.length) {
      for (const { line } of wanted) report.skip(line, `date: no visits on ${date}; import imported_visitors first`);
      continue;
    }
    const placed = placeCustomEvents(stored, wanted);
    for (const { line, error } of placed.shortfalls) report.skip(line, error);
    const before = stored.filter(isCustomEvent);
    const key = (row: EventRow) => JSON.stringify([row.event_id, row.timestamp, row.name, row.session_id, row.pathname, row.props]);
    const same = before.length === placed.rows.length && new Set(before.map(key)).size === new Set([...before, ...placed.rows].map(key)).size;
    if (same) continue;
    if (before.length) await deleteDay(client, site, date, "custom events");
    await forgetSessions(client, site.id, stored);
    await write(client, [...stored.filter((row) => !isCustomEvent(row)), ...placed.rows], report);
    await rebuildPages(client, site.id, [...stored, ...placed.rows].map((row) => row.timestamp));
  }
}

/** Dates in runs of up to a week, so each read of stored events stays small. */
function weeks(dates: string[]): string[][] {
  const sorted = [...dates].sort();
  const runs: string[][] = [];
  for (const date of sorted) {
    const run = runs.at(-1);
    if (run && run.length < 7 && date <= addDays(run[0]!, 6)) run.push(date);
    else runs.push([date]);
  }
  return runs;
}

type StoredRow = Omit<EventRow, "timestamp"> & { timestamp: string };

/** What tells whether a day's stored visits are the ones imported_visitors would make. */
const VISIT_KEYS = "event_id, timestamp, name, visitor_id, session_id";

/** The synthetic events already stored for these dates (their ids start with the date, whatever the timezone). */
async function storedDays(client: ClickHouseClient, site: ImportSite, dates: string[], columns: "*" | typeof VISIT_KEYS): Promise<Map<string, EventRow[]>> {
  const rows = await selectRows<StoredRow>(
    client,
    `SELECT ${columns} FROM events FINAL
     WHERE site_id = {site:String} AND timestamp >= toDateTime64({from:String}, 3, 'UTC') AND timestamp < toDateTime64({to:String}, 3, 'UTC')
       AND startsWith(event_id, {prefix:String}) AND substring(event_id, {at:UInt8}, 10) IN {dates:Array(String)}`,
    { site: site.id, prefix: PREFIX, at: PREFIX.length + 1, from: `${addDays(dates[0]!, -2)} 00:00:00`, to: `${addDays(dates.at(-1)!, 3)} 00:00:00`, dates },
    { output_format_json_quote_64bit_integers: 1 },
  );
  const byDate = new Map<string, EventRow[]>();
  for (const row of rows) {
    const date = row.event_id.slice(PREFIX.length, PREFIX.length + 10);
    const event: EventRow = { ...row, timestamp: Date.parse(`${row.timestamp.replace(" ", "T")}Z`) };
    group(byDate, date, event);
  }
  return byDate;
}

function group<T>(groups: Map<string, T[]>, key: string, item: T) {
  const list = groups.get(key);
  if (list) list.push(item);
  else groups.set(key, [item]);
}

/** Custom events placed into the visits are not part of them. */
function sameVisits(stored: EventRow[], made: EventRow[]): boolean {
  stored = stored.filter((row) => !isCustomEvent(row));
  if (stored.length !== made.length) return false;
  const key = (row: EventRow) => `${row.event_id}|${row.timestamp}|${row.name}|${row.visitor_id}|${row.session_id}`;
  const keys = new Set(stored.map(key));
  return made.every((row) => keys.has(key(row)));
}

/** A day's synthetic events, or only the custom events placed into its visits. */
async function deleteDay(client: ClickHouseClient, site: ImportSite, date: string, only?: "custom events") {
  const custom = only ? " AND match(event_id, ':c[0-9]+$')" : "";
  await client.command({
    query: `DELETE FROM events WHERE site_id = {site:String} AND startsWith(event_id, {prefix:String})${custom}`,
    query_params: { site: site.id, prefix: dayPrefix(date) },
  });
}

