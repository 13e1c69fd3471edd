/** One CSV cell per RFC 4180; text a spreadsheet would run as a formula gets a leading '. No imports. */
export function csvCell(value: string | number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = /^[=+\-@\t\r]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record, CRLF-terminated. */
export const csvLine = (cells: (string | number)[]) => `${cells.map(csvCell).join(",")}\r\n`;
