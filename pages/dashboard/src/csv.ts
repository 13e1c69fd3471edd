/** One CSV cell per RFC 4180; text a spreadsheet would run as a formula gets a leading '. */
export function csvCell(value: string | number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = /^[=+\-@\t\r]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** A file name without characters file systems refuse. */
export function csvFileName(...parts: string[]): string {
  return `${parts.join("-").replace(/[^\w.-]+/g, "_")}.csv`;
}
