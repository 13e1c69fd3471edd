import { detectFormat, type ImportFormat } from "./formats";
import { csvRecords } from "./csv";

/** The largest body one import request takes; larger files go up in parts that repeat the header row. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** What the api answers for one imported file, or one part of it (see docs/data.md). */
export interface ImportReport {
  format: string;
  rows: number;
  events: number;
  /** The first 100 lines skipped, numbered within the uploaded file or part. */
  skipped: { line: number; error: string }[];
  skipped_total: number;
}

/** One upload of a split file: the header row, then whole records; `firstLine` is its first record's line in the file. */
export interface ImportPart {
  csv: string;
  firstLine: number;
  bytes: number;
}

/**
 * Splits CSV text, arriving in chunks of any size, into parts of at most `maxBytes` UTF-8 bytes, each starting with
 * the file's header row and breaking only between records (never inside a quoted cell). A single record larger than
 * `maxBytes` is a part of its own, which the api then refuses with a 413 that names the size.
 */
export async function* splitCsv(chunks: AsyncIterable<string> | Iterable<string>, maxBytes = MAX_IMPORT_BYTES): AsyncGenerator<ImportPart> {
  let header: string | undefined;
  let record = "";
  let recordBytes = 0;
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let part = { records: [] as string[], bytes: 0, firstLine: 2 };
  const flush = (): ImportPart => {
    const done = { csv: header! + part.records.join(""), firstLine: part.firstLine, bytes: utf8Bytes(header!) + part.bytes };
    part = { records: [], bytes: 0, firstLine: recordLine };
    return done;
  };
  function* endRecord(): Generator<ImportPart> {
    if (header === undefined) header = record;
    else {
      // Blank lines stay, so that a part's lines keep the file's line numbers.
      if (part.records.length && utf8Bytes(header) + part.bytes + recordBytes > maxBytes) yield flush();
      if (!part.records.length) part.firstLine = recordLine;
      part.records.push(record);
      part.bytes += recordBytes;
    }
    record = "";
    recordBytes = 0;
    recordLine = line;
  }
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code === 0x22) quoted = !quoted; // `""` inside a quoted cell toggles twice: still quoted
      else if (code === 0x0a) {
        line++;
        if (!quoted) {
          record += chunk.slice(from, i + 1);
          recordBytes += utf8Bytes(chunk, from, i + 1);
          from = i + 1;
          yield* endRecord();
        }
      }
    }
    record += chunk.slice(from);
    recordBytes += utf8Bytes(chunk, from, chunk.length);
  }
  if (record !== "") {
    record += "\n";
    recordBytes++;
    yield* endRecord();
  }
  if (part.records.some((kept) => kept.trim() !== "")) yield flush();
}

/** Imports go in this order: Plausible's `imported_visitors` makes the days the other files then fill. */
export function importRank(headerLine: string): { format?: ImportFormat; rank: number; error?: string } {
  const header = csvRecords(headerLine.replace(/^\uFEFF/, "")).next().value?.cells.map((name: string) => name.trim().toLowerCase()) ?? [];
  const detected = detectFormat(header);
  if ("error" in detected) return { rank: 2, error: detected.error };
  return { format: detected.format, rank: detected.format === "plausible:imported_visitors" ? 0 : 1 };
}

function utf8Bytes(text: string, from = 0, to = text.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 4 : code >= 0xdc00 && code < 0xe000 ? 0 : 3;
  }
  return bytes;
}
