import { PLAUSIBLE_SKIPPED, PLAUSIBLE_TABLES, type PlausibleTable } from "./plausible";
import { UMAMI_COLUMNS } from "./umami";

export type ImportFormat = "umami" | `plausible:${PlausibleTable}`;

/** The formats an upload may have, by the columns of its header row. */
export const FORMATS: { format: ImportFormat; columns: readonly string[] }[] = [
  { format: "umami", columns: UMAMI_COLUMNS },
  ...Object.entries(PLAUSIBLE_TABLES).map(([table, columns]) => ({ format: `plausible:${table}` as ImportFormat, columns })),
];

const describe = () => FORMATS.map(({ format, columns }) => `${format} (${columns.join(", ")})`).join("; ");

/** The format whose columns the header holds, or a message naming what was expected. */
export function detectFormat(header: string[]): { format: ImportFormat } | { error: string } {
  const has = (columns: readonly string[]) => columns.every((column) => header.includes(column));
  const matches = FORMATS.filter(({ columns }) => has(columns));
  // A file that has every column of a narrower table is the wider one (sources also has visits and pageviews...).
  const best = matches.sort((a, b) => b.columns.length - a.columns.length)[0];
  if (best) return { format: best.format };
  const skipped = Object.entries(PLAUSIBLE_SKIPPED).find(([, columns]) => has(columns));
  if (skipped) {
    return { error: `${skipped[0]} is not imported: Pixel derives entry and exit pages from imported_pages; upload the other files` };
  }
  return { error: `the header row matches no import format; expected one of: ${describe()}` };
}
