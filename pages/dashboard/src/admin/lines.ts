/** One entry a line: trimmed, blank lines dropped, repeats kept once (in their first place). */
export function parseLines(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry) seen.add(entry);
  }
  return [...seen];
}

export const formatLines = (entries: readonly string[]): string => entries.join("\n");

/** The field an API 400 names (`shields.ipRanges.2: is not …`), and the entry when it is a list. */
export interface FieldError {
  field: string;
  index?: number;
  message: string;
}

export function fieldError(message: string): FieldError | null {
  const match = /^([A-Za-z][\w]*(?:\.[\w]+)*): (.+)$/s.exec(message);
  if (!match) return null;
  const parts = match[1]!.split(".");
  const last = parts.at(-1)!;
  if (/^\d+$/.test(last) && parts.length > 1) {
    return { field: parts.slice(0, -1).join("."), index: Number(last), message: match[2]! };
  }
  return { field: match[1]!, message: match[2]! };
}

/** What to show next to a line-list field: which line, what it holds, and what is wrong with it. */
export function describeLineError(error: FieldError, entries: readonly string[]): string {
  if (error.index === undefined) return capitalize(error.message);
  const entry = entries[error.index];
  const where = `Line ${error.index + 1}${entry === undefined ? "" : ` (${entry})`}`;
  return `${where} ${error.message}. Fix or remove that line and save again.`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
