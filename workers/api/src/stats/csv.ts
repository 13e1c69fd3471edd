import { csvLine } from "@pixel/lib/stats/csv";
import type { QueryAnswer } from "@pixel/lib/stats/query";

/** A query's answer as CSV: its dimensions, then its metrics. */
export function toCsv(answer: QueryAnswer): string {
  const header = [...answer.query.dimensions, ...answer.query.metrics];
  const rows = answer.results.map((row) => [...row.dimensions, ...row.metrics]);
  return [header, ...rows].map(csvLine).join("");
}
