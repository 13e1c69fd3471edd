import type { Row } from "@clickhouse/client-web";
import type { Context } from "hono";
import * as v from "valibot";
import { addDays } from "@pixel/lib/time";
import type { ApiContext } from "../env";
import { STATS_SETTINGS } from "../stats/run";
import { csvLine } from "@pixel/lib/stats/csv";
import { isoDate } from "@pixel/lib/stats/query";
import { reader } from "./clickhouse";

const ExportQuery = v.strictObject({
  format: v.optional(v.picklist(["ndjson", "csv"], "format is ndjson or csv"), "ndjson"),
  from: v.optional(isoDate),
  to: v.optional(isoDate),
});

const CONTENT_TYPE = { ndjson: "application/x-ndjson; charset=utf-8", csv: "text/csv; charset=utf-8" } as const;

/**
 * Every column of the site's events from `from` to `to` (inclusive local dates in the site's timezone; either may be
 * left out), each hit once (FINAL), oldest first, streamed as ClickHouse reads them. Timestamps are UTC.
 */
export async function exportEvents(c: Context<ApiContext>): Promise<Response> {
  const parsed = v.safeParse(ExportQuery, c.req.query());
  if (!parsed.success) {
    const issue = parsed.issues[0];
    return c.json({ error: `${v.getDotPath(issue) ?? "query"}: ${issue.message}` }, 400);
  }
  const { format, from, to } = parsed.output;
  if (from && to && from > to) return c.json({ error: "from: the first date is after the second" }, 400);
  const site = c.var.site;
  const where = ["site_id = {site:String}"];
  if (from) where.push("timestamp >= toDateTime64({from:String}, 3, {tz:String})");
  if (to) where.push("timestamp < toDateTime64({to:String}, 3, {tz:String})");
  const client = reader(c.env);
  const result = await client.query({
    query: `SELECT * FROM events FINAL WHERE ${where.join(" AND ")} ORDER BY timestamp, event_id`,
    query_params: { site: site.id, tz: site.timezone, from: `${from} 00:00:00`, to: to && `${addDays(to, 1)} 00:00:00` },
    format: format === "csv" ? "JSONCompactEachRowWithNames" : "JSONEachRow",
    clickhouse_settings: { ...STATS_SETTINGS, output_format_json_quote_64bit_integers: 1 },
  });
  const encode = format === "csv" ? (row: Row) => csvLine((row.json() as unknown[]).map(cellText)) : (row: Row) => `${row.text}\n`;
  const body = result.stream().pipeThrough(
    new TransformStream<Row[], Uint8Array>({
      transform(rows, controller) {
        controller.enqueue(new TextEncoder().encode(rows.map(encode).join("")));
      },
      flush: () => client.close(),
    }),
  );
  const name = `pixel-${site.domain.replace(/[^\w.-]/g, "_")}-${from ?? "start"}-to-${to ?? "now"}.${format}`;
  return new Response(body, {
    headers: { "content-type": CONTENT_TYPE[format], "content-disposition": `attachment; filename="${name}"` },
  });
}

const cellText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
