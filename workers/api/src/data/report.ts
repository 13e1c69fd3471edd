import type { ClickHouseClient } from "@clickhouse/client-web";
import { clickHouseTime, insertJsonRows } from "@pixel/lib/clickhouse/client";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { csvTable } from "@pixel/lib/import/csv";
import { LineError } from "@pixel/lib/import/site";

const MAX_REPORTED = 100;
/** Rows per INSERT. */
export const BATCH = 10_000;

export type Rows = ReturnType<typeof csvTable>["rows"];

interface Skipped {
  line: number;
  error: string;
}

/** What an import answers: rows read, events written, and the lines it skipped (the first 100) with why. */
export class Report {
  rows = 0;
  events = 0;
  /** The earliest event written, in ms. */
  earliest = Infinity;
  readonly skipped: Skipped[] = [];
  skippedTotal = 0;

  skip(line: number, error: string) {
    this.skippedTotal++;
    if (this.skipped.length < MAX_REPORTED) this.skipped.push({ line, error });
  }
}

/** Parses every row with `parse`, skipping (and reporting) the ones it refuses. */
export async function* parsed<T>(rows: Rows, report: Report, parse: (values: Record<string, string>, line: number) => Promise<T> | T) {
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

/** Inserts events, BATCH rows per INSERT. */
export async function write(client: ClickHouseClient, events: EventRow[], report: Report): Promise<void> {
  for (let i = 0; i < events.length; i += BATCH) await insertJsonRows(client, "events", events.slice(i, i + BATCH).map(eventColumns));
  report.events += events.length;
  for (const event of events) report.earliest = Math.min(report.earliest, event.timestamp);
}

const eventColumns = (row: EventRow) => ({ ...row, timestamp: clickHouseTime(row.timestamp) });
