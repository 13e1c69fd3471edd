import type { QueryAnswer } from "../../../../lib/stats/query";

/** RFC 4180, with a leading ' on cells a spreadsheet would run as a formula. */
export function toCsv(answer: QueryAnswer): string {
  const header = [...answer.query.dimensions, ...answer.query.metrics];
  const rows = answer.results.map((row) => [...row.dimensions, ...row.metrics.map(String)]);
  return [header, ...rows].map(csvLine).join("");
}

/** One CSV record, CRLF-terminated. */
export const csvLine = (cells: string[]) => `${cells.map(csvCell).join(",")}\r\n`;

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
