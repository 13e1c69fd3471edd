import { csvLine } from "@pixel/lib/stats/csv";

export function toCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map(csvLine).join("");
}

/** A file name without characters file systems refuse. */
export function csvFileName(...parts: string[]): string {
  return `${parts.join("-").replace(/[^\w.-]+/g, "_")}.csv`;
}
