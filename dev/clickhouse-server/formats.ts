const TEXT = "text/plain; charset=UTF-8";
const BINARY = "application/octet-stream";

const BINARY_FORMATS = /^(native|rowbinary|parquet|arrow|orc|avro|msgpack|protobuf|capnproto|npy|bsoneachrow)/;

export function contentTypeOf(format: string): string {
  const name = format.toLowerCase();
  if (name.startsWith("tabseparated") || name.startsWith("tsv")) return "text/tab-separated-values; charset=UTF-8";
  if (name.startsWith("csvwithnames")) return "text/csv; charset=UTF-8; header=present";
  if (name.startsWith("csv")) return "text/csv; charset=UTF-8; header=absent";
  if (name.startsWith("json") || name === "ndjson") return "application/json; charset=UTF-8";
  if (name === "xml") return "application/xml; charset=UTF-8";
  if (BINARY_FORMATS.test(name)) return BINARY;
  return TEXT;
}

const LINE_FORMATS = /^(tabseparated|tsv|jsoneachrow|jsonstringseachrow|jsoncompacteachrow|jsoncompactstringseachrow|jsonlines|ndjson)/;
const SINGLE_DOCUMENT_JSON = new Set(["json", "jsonstrings", "jsoncompact", "jsoncompactstrings"]);

/** Rows in a result, for the summary header; exact for line-per-row and JSON document formats, else 0. */
export function countResultRows(format: string, body: Buffer): number {
  const name = format.toLowerCase();
  if (SINGLE_DOCUMENT_JSON.has(name)) {
    const tail = body.toString("utf8", Math.max(0, body.length - 512));
    const counts = [...tail.matchAll(/\n\t"rows": (\d+)/g)];
    return Number(counts.at(-1)?.[1] ?? 0);
  }
  if (!LINE_FORMATS.test(name)) return 0;
  const headerLines = name.endsWith("withnamesandtypes") ? 2 : name.endsWith("withnames") ? 1 : 0;
  return Math.max(0, countNewlines(body) - headerLines);
}

function countNewlines(body: Buffer): number {
  let count = 0;
  for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) count++;
  return count;
}
