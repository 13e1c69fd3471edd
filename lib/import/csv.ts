/** A CSV record with the line it starts on (1 is the header). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * RFC 4180 records (quoted cells may hold commas, quotes and newlines; LF or CRLF line ends). An unterminated
 * quote makes the rest of the text one broken record, reported by `error`.
 */
export function* csvRecords(text: string): Generator<CsvRecord & { error?: string }> {
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = () => {
    cells.push(cell);
    const record = { line: start, cells };
    cells = [];
    cell = "";
    start = line;
    return record;
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && cell === "") {
      const close = closingQuote(text, i + 1);
      if (close < 0) {
        yield { line: start, cells: [], error: "a quoted cell is never closed" };
        return;
      }
      const quoted = text.slice(i + 1, close);
      line += quoted.split("\n").length - 1;
      cell = quoted.replaceAll('""', '"');
      i = close + 1;
      if (i < text.length && !/[,\r\n]/.test(text[i]!)) {
        cell += "\u0000"; // text after a closing quote: flagged below
      }
      continue;
    }
    if (char === ",") {
      cells.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      line++;
      const record = end();
      if (record.cells.length > 1 || record.cells[0] !== "") yield record;
    } else {
      cell += char;
    }
    i++;
  }
  if (cell !== "" || cells.length) yield end();
}

function closingQuote(text: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    if (text[quote + 1] !== '"') return quote;
    i = quote + 2;
  }
}

/** Records as objects keyed by the header, with per-line errors for a wrong cell count or stray quotes. */
export interface CsvTable {
  header: string[];
  rows: Generator<{ line: number; values: Record<string, string> } | { line: number; error: string }>;
}

export function csvTable(text: string): CsvTable {
  const records = csvRecords(text);
  const first = records.next();
  const header = first.done ? [] : first.value.cells.map((name) => name.trim().toLowerCase());
  function* rows(): CsvTable["rows"] {
    for (const record of records) {
      if (record.error) yield { line: record.line, error: record.error };
      else if (record.cells.length !== header.length) {
        yield { line: record.line, error: `${record.cells.length} cells where the header has ${header.length}` };
      } else if (record.cells.some((cell) => cell.includes("\u0000"))) {
        yield { line: record.line, error: "text after a closing quote" };
      } else {
        yield { line: record.line, values: Object.fromEntries(header.map((name, i) => [name, record.cells[i]!])) };
      }
    }
  }
  return { header, rows: rows() };
}
