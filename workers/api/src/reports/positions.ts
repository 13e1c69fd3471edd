import type { BatchItem } from "drizzle-orm/batch";
import { eq } from "drizzle-orm";
import { reports, widgets } from "@pixel/lib/d1/schema";
import type { Db } from "./lookup";

/** The ids in their new order after moving `id` to `position` (clamped to the list). */
export function moveTo(ids: string[], id: string, position: number): string[] {
  const rest = ids.filter((other) => other !== id);
  const at = Math.max(0, Math.min(position, rest.length));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

/** Updates giving `ids` the positions 0, 1, 2, … */
export const renumber = (db: Db, table: typeof reports | typeof widgets, ids: string[]) =>
  ids.map((id, position) => db.update(table).set({ position }).where(eq(table.id, id)));

/** One D1 transaction for any number of statements, none included. */
export async function writeAll(db: Db, statements: BatchItem<"sqlite">[]) {
  if (statements.length) await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
