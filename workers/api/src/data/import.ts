import type { ClickHouseClient } from "@clickhouse/client-web";
import type { Context } from "hono";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { csvTable } from "@pixel/lib/import/csv";
import { detectFormat, type ImportFormat } from "@pixel/lib/import/formats";
import { MAX_IMPORT_BYTES } from "@pixel/lib/import/split";
import type { PlausibleTable } from "@pixel/lib/import/plausible";
import type { ImportSite } from "@pixel/lib/import/site";
import { umamiEvent } from "@pixel/lib/import/umami";
import { eq } from "drizzle-orm";
import { type Site, sites } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { withWriter } from "./clickhouse";
import { importBreakdown, importCustomEvents, importVisitors } from "./plausible";
import { BATCH, parsed, Report, type Rows, write } from "./report";

/** What an import body may be: types no other site's page can send without asking first, or a form upload. */
export const IMPORT_TYPES = ["text/csv", "application/csv", "multipart/form-data"] as const;

/** One CSV file: the whole body, or the one file of a form upload; its header row says which format it is. */
export async function importFile(c: Context<ApiContext>): Promise<Response> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(IMPORT_TYPES as readonly string[]).includes(type)) {
    return c.json({ error: `content-type: send the CSV file as ${IMPORT_TYPES.join(" or ")}, not ${type || "nothing"}` }, 415);
  }
  const body = await bodyBytes(c.req.raw);
  if (body === undefined) return c.json({ error: `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: split it (repeating the header row), or use npm run import or the dashboard's import page, which split it for you` }, 413);
  const csv = type === "multipart/form-data" ? await uploadedFile(c.req.raw, body) : new TextDecoder().decode(body);
  if (typeof csv !== "string") return c.json(csv, 400);
  const table = csvTable(csv);
  const detected = detectFormat(table.header);
  if ("error" in detected) return c.json({ error: detected.error }, 400);
  const site: ImportSite = c.var.site;
  const report = new Report();
  await withWriter(c.env, (client) => run(client, detected.format, table.rows, site, report));
  await extendHistory(c.env.DB, c.var.site, report.earliest);
  return c.json({ format: detected.format, rows: report.rows, events: report.events, skipped: report.skipped, skipped_total: report.skippedTotal });
}

/** "All time" starts at the earliest imported event when that is older than the site. */
async function extendHistory(d1: D1Database, site: Site, earliest: number) {
  const since = Math.min(site.createdAt.getTime(), site.dataSince?.getTime() ?? Infinity);
  if (!(earliest < since)) return;
  await database(d1).update(sites).set({ dataSince: new Date(earliest) }).where(eq(sites.id, site.id));
}

async function bodyBytes(request: Request): Promise<Uint8Array | undefined> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_IMPORT_BYTES) return undefined;
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The form's one file field, whatever its name. */
async function uploadedFile(request: Request, body: Uint8Array): Promise<string | { error: string }> {
  const form = await new Response(body, { headers: request.headers }).formData().catch(() => undefined);
  if (!form) return { error: "multipart/form-data: the body is not a valid form upload" };
  const files = [...form.values()].filter((value): value is File => typeof value !== "string");
  if (files.length !== 1) return { error: `multipart/form-data: send exactly one file, not ${files.length}` };
  return files[0]!.text();
}

async function run(client: ClickHouseClient, format: ImportFormat, rows: Rows, site: ImportSite, report: Report) {
  if (format === "umami") return importUmami(client, rows, site, report);
  const table = format.slice("plausible:".length) as PlausibleTable;
  if (table === "imported_visitors") return importVisitors(client, rows, site, report);
  if (table === "imported_custom_events") return importCustomEvents(client, rows, site, report);
  return importBreakdown(client, table, rows, site, report);
}

async function importUmami(client: ClickHouseClient, rows: Rows, site: ImportSite, report: Report) {
  let batch: EventRow[] = [];
  for await (const event of parsed(rows, report, (values) => umamiEvent(values, site))) {
    batch.push(event);
    if (batch.length < BATCH) continue;
    await write(client, batch, report);
    batch = [];
  }
  await write(client, batch, report);
}

