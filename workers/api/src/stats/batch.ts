import * as v from "valibot";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import type { ClickHouseClient } from "@clickhouse/client-web";
import { type CompileContext, combiningKey, isCombinable, rollupShaped } from "./planner";
import { type DayRoll, validRolls } from "./rollups/read";
import type { QueryAnswer } from "@pixel/lib/stats/query";
import { MAX_BATCH } from "@pixel/lib/stats/limits";

export const BatchBody = v.strictObject({
  queries: v.pipe(v.array(v.unknown()), v.minLength(1, `give 1 to ${MAX_BATCH} queries`), v.maxLength(MAX_BATCH, `a batch takes at most ${MAX_BATCH} queries`)),
});

/** A line of a batch's answer (NDJSON, in the order the queries finish): one query's answer, or why it has none. */
export type BatchLine = { index: number; answer: QueryAnswer } | { index: number; status: number; error: string };

export interface BatchItem {
  index: number;
  query: NormalizedQuery;
  context: CompileContext;
}

/**
 * The batch's queries as units of work: those that can share one pass over the stored visits, or over the daily
 * rollups' corrections, go together (valid rolls are looked up once per site and range).
 */
export async function batchTasks(client: ClickHouseClient, items: BatchItem[]): Promise<BatchItem[][]> {
  const groups = new Map<string, BatchItem[]>();
  const tasks: BatchItem[][] = [];
  const rolls = new Map<string, Promise<DayRoll[]>>();
  const rollsOf = (item: BatchItem) => {
    const key = JSON.stringify([item.query.site_id, item.query.date_range, item.context.timezone]);
    if (!rolls.has(key)) rolls.set(key, validRolls(client, item.query, item.context));
    return rolls.get(key)!;
  };
  const looked = await Promise.all(items.map(async (item) => (rollupShaped(item.query, item.context) ? { ...item, context: { ...item.context, rolls: await rollsOf(item) } } : item)));
  for (const item of looked) {
    const key = isCombinable(item.query, item.context) ? combiningKey(item.query, item.context) : undefined;
    const group = key === undefined ? undefined : groups.get(key);
    if (group) {
      group.push(item);
      continue;
    }
    const task = [item];
    if (key !== undefined) groups.set(key, task);
    tasks.push(task);
  }
  return tasks;
}
