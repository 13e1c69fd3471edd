import type { ClickHouseClient } from "@clickhouse/client-web";
import type { Context } from "hono";
import { clickHouseTime, insertJsonRows, selectRows } from "../../../../lib/clickhouse/client";
import type { EventRow } from "../../../../lib/events/row";
import { csvTable } from "../../../../lib/import/csv";
import { detectFormat, type ImportFormat } from "../../../../lib/import/formats";
import {
  applyBreakdown,
  type Breakdown,
  breakdownRow,
  type BreakdownTable,
  dayPrefix,
  isCustomEvent,
  PREFIX,
  type PlausibleTable,
  synthesizeDay,
  type VisitorsDay,
  visitorsDay,
} from "../../../../lib/import/plausible";
import { type CustomEvents, customEventsRow, placeCustomEvents } from "../../../../lib/import/plausible-events";
import { type ImportSite, LineError } from "../../../../lib/import/site";
import { umamiEvent } from "../../../../lib/import/umami";
import { addDays } from "../../../../lib/time";
import type { ApiContext } from "../env";
import { withWriter } from "./clickhouse";

/** Larger exports are split into several files (repeat the header row in each). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const BATCH = 10_000;
const MAX_REPORTED = 100;

interface Skipped {
  line: number;
  error: string;
}

class Report {
  rows = 0;
  events = 0;
  readonly skipped: Skipped[] = [];
  skippedTotal = 0;

  skip(line: number, error: string) {
    this.skippedTotal++;
    if (this.skipped.length < MAX_REPORTED) this.skipped.push({ line, error });
  }
}

/** One CSV file in the body; its header row says which format it is. */
export async function importFile(c: Context<ApiContext>): Promise<Response> {
  const type = c.req.header("content-type") ?? "";
  if (!/^(text\/csv|application\/csv|text\/plain)\b/i.test(type)) {
    return c.json({ error: "content-type: send the CSV file as text/csv" }, 415);
  }
  const text = await bodyText(c.req.raw);
  if (text === undefined) return c.json({ error: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: split it (repeating the header row)` }, 413);
  const table = csvTable(text);
  const detected = detectFormat(table.header);
  if ("error" in detected) return c.json({ error: detected.error }, 400);
  const site: ImportSite = c.var.site;
  const report = new Report();
  await withWriter(c.env, (client) => run(client, detected.format, table.rows, site, report));
  return c.json({ format: detected.format, rows: report.rows, events: report.events, skipped: report.skipped, skipped_total: report.skippedTotal });
}

async function bodyText(request: Request): Promise<string | undefined> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_IMPORT_BYTES) return undefined;
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
  return new TextDecoder().decode(bytes);
}

type Rows = ReturnType<typeof csvTable>["rows"];

async function run(client: ClickHouseClient, format: ImportFormat, rows: Rows, site: ImportSite, report: Report) {
  if (format === "umami") return importUmami(client, rows, site, report);
  const table = format.slice("plausible:".length) as PlausibleTable;
  if (table === "imported_visitors") return importVisitors(client, rows, site, report);
  if (table === "imported_custom_events") return importCustomEvents(client, rows, site, report);
  return importBreakdown(client, table, rows, site, report);
}

/** Parses every row with `parse`, skipping (and reporting) the ones it refuses. */
async function* parsed<T>(rows: Rows, report: Report, parse: (values: Record<string, string>, line: number) => Promise<T> | T) {
  for (const row of rows) {
    report.rows++;
    if ("error" in row) {
      report.skip(row.line, row.error);
      continue;
    }
    try {
      yield await parse(row.values, row.line);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      report.skip(row.line, error.message);
    }
  }
}

async function importUmami(client: ClickHouseClient, rows: Rows, site: ImportSite, report: Report) {
  let batch: EventRow[] = [];
  for await (const event of parsed(rows, report, (values) => umamiEvent(values, site))) {
    batch.push(event);
    if (batch.length >= BATCH) batch = await write(client, batch, report);
  }
  await write(client, batch, report);
}

async function write(client: ClickHouseClient, events: EventRow[], report: Report): Promise<EventRow[]> {
  for (let i = 0; i < events.length; i += BATCH) await insertJsonRows(client, "events", events.slice(i, i + BATCH).map(eventColumns));
  report.events += events.length;
  return [];
}

/** A day whose visits are already stored as they would be made again is left alone, with its breakdowns. */
async function importVisitors(client: ClickHouseClient, rows: Rows, site: ImportSite, report: Report) {
  const days = new Map<string, VisitorsDay>();
  for await (const day of parsed(rows, report, visitorsDay)) days.set(day.date, day);
  for (const dates of weeks([...days.keys()])) {
    const stored = await storedDays(client, site, dates, VISIT_KEYS);
    for (const date of dates) {
      const events = await synthesizeDay(days.get(date)!, site);
      const before = stored.get(date) ?? [];
      if (sameVisits(before, events)) continue;
      if (before.length) await deleteDay(client, site, date);
      await write(client, events, report);
    }
  }
}

async function importBreakdown(client: ClickHouseClient, table: BreakdownTable, rows: Rows, site: ImportSite, report: Report) {
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
    await write(client, applied.rows, report);
  }
}

/** A day's custom events are replaced as a whole when the file places them differently. */
async function importCustomEvents(client: ClickHouseClient, rows: Rows, site: ImportSite, report: Report) {
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
    await write(client, placed.rows, report);
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

const eventColumns = (row: EventRow) => ({ ...row, timestamp: clickHouseTime(row.timestamp) });
