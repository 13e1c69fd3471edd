import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import type { FunnelDropOff, FunnelReport, FunnelStep } from "@pixel/lib/funnels";
import { percentOf } from "@pixel/lib/stats/percent";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import { EVENTS } from "../stats/catalog";
import { eventsInRangeSql, matchingVisitsSql } from "../stats/compile";
import { goalPattern } from "../stats/filter-sql";
import { Params } from "../stats/params";
import type { CompileContext } from "../stats/planner";
import { STATS_SETTINGS } from "../stats/run";

function stepCondition(step: FunnelStep, params: Params): string {
  if (step.kind === "page") {
    return `(name = 'pageview' AND match(pathname, ${params.add(goalPattern({ name: "", kind: "page", value: step.pagePath }), "String")}))`;
  }
  const property = step.property
    ? ` AND props[${params.add(step.property.name, "String")}] = ${params.add(step.property.value, "String")}`
    : "";
  return `(name = ${params.add(step.eventName, "String")}${property})`;
}

/**
 * Per visit, its events in time order and the earliest in-order completion of each step (i1 … iN, 0 once a step is
 * missed): the earliest completion of each step reaches as far as any order can.
 */
function funnelVisitsSql(steps: FunnelStep[], query: NormalizedQuery, context: CompileContext, params: Params): string {
  const conditions = steps.map((step) => stepCondition(step, params));
  const where = [
    eventsInRangeSql(query, context, params),
    `(${conditions.join(" OR ")})`,
    ...(query.filters.length ? [`session_id IN (${matchingVisitsSql(query, context, params)})`] : []),
  ];
  const index = steps.map((_, k) =>
    k === 0 ? "arrayFirstIndex(e -> e.3[1], ev) AS i1" : `if(i${k} = 0, 0, arrayFirstIndex((e, j) -> j > i${k} AND e.3[${k + 1}], ev, arrayEnumerate(ev))) AS i${k + 1}`,
  );
  const gaps = steps.slice(1).map((_, k) => `if(i${k + 2} = 0, 0, toUnixTimestamp64Milli(ev[i${k + 2}].1) - toUnixTimestamp64Milli(ev[i${k + 1}].1))`);
  return [
    `SELECT visitor_id, session_id, arraySort(groupArray((timestamp, event_id, [${conditions.join(", ")}]))) AS ev, ${index.join(", ")},`,
    `  ${steps.map((_, k) => `(i${k + 1} > 0)`).join(" + ")} AS reached, [${gaps.join(", ")}] AS gaps`,
    `FROM ${EVENTS}`,
    `WHERE ${where.join("\n  AND ")}`,
    "GROUP BY visitor_id, session_id",
  ].join("\n");
}

/** Visitors per step count each visitor once, at the furthest step one of their visits reached. */
export function compileFunnel(steps: FunnelStep[], query: NormalizedQuery, context: CompileContext) {
  const params = new Params();
  const visits = funnelVisitsSql(steps, query, context, params);
  const columns = [
    ...steps.map((_, k) => `uniqExactIf(visitor_id, reached >= ${k + 1}) AS visitors_${k + 1}`),
    ...steps.slice(1).map((_, k) => `countIf(reached >= ${k + 2}) AS visits_${k + 2}`),
    ...steps.slice(1).map((_, k) => `quantileExactIf(0.5)(gaps[${k + 1}], reached >= ${k + 2}) AS median_${k + 2}`),
  ];
  return { sql: `SELECT ${columns.join(", ")}\nFROM (${visits})`, params: params.values };
}

/**
 * Where the visitors who dropped off after `step` (1-based) went next: the visitors whose furthest visit reached
 * that step and no further, by the first page they viewed after completing it in such a visit ('' when the visit
 * ended there). A visitor with several such visits counts once under each next page they took.
 */
export function compileDropOff(steps: FunnelStep[], step: number, query: NormalizedQuery, context: CompileContext) {
  const params = new Params();
  const visits = funnelVisitsSql(steps, query, context, params);
  const dropped = [
    `SELECT visitor_id, session_id, ev[i${step}].1 AS at, ev[i${step}].2 AS at_id`,
    `FROM (SELECT *, max(reached) OVER (PARTITION BY visitor_id) AS furthest FROM (${visits}))`,
    `WHERE reached = ${step} AND furthest = ${step}`,
  ].join("\n");
  const after = "name = 'pageview' AND (timestamp, event_id) > (d.at, d.at_id)";
  const nextPages = [
    `SELECT d.visitor_id AS dropped_visitor, if(countIf(${after}) = 0, '', argMinIf(pathname, (timestamp, event_id), ${after})) AS next_page`,
    `FROM ${EVENTS} INNER JOIN (${dropped}) AS d USING (session_id)`,
    `WHERE ${eventsInRangeSql(query, context, params)}`,
    "GROUP BY dropped_visitor, session_id",
  ].join("\n");
  const sql = [
    "SELECT next_page, uniqExact(dropped_visitor) AS visitors",
    `FROM (${nextPages})`,
    "GROUP BY next_page",
    `ORDER BY visitors DESC, next_page ASC`,
    `LIMIT ${MAX_NEXT_PAGES}`,
  ].join("\n");
  return { sql, params: params.values };
}

/** The drop-off list shows the most taken next pages; the rest are few visitors each. */
export const MAX_NEXT_PAGES = 100;

export async function runDropOff(
  client: ClickHouseClient,
  steps: FunnelStep[],
  step: number,
  query: NormalizedQuery,
  context: CompileContext,
): Promise<FunnelDropOff> {
  const { sql, params } = compileDropOff(steps, step, query, context);
  const rows = await selectRows<{ next_page: string; visitors: string | number }>(client, sql, params, STATS_SETTINGS);
  return { step, next_pages: rows.map((row) => ({ page: row.next_page, visitors: Number(row.visitors) })) };
}

export async function runFunnel(client: ClickHouseClient, steps: FunnelStep[], query: NormalizedQuery, context: CompileContext): Promise<FunnelReport> {
  const { sql, params } = compileFunnel(steps, query, context);
  const [row = {}] = await selectRows<Record<string, string | number>>(client, sql, params, STATS_SETTINGS);
  const visitors = steps.map((_, k) => Number(row[`visitors_${k + 1}`] ?? 0));
  const first = visitors[0]!;
  return {
    steps: visitors.map((count, k) => ({
      visitors: count,
      conversion_rate: percentOf(count, first),
      drop_off: k + 1 < visitors.length ? count - visitors[k + 1]! : null,
      median_ms_from_previous: k > 0 && Number(row[`visits_${k + 1}`] ?? 0) > 0 ? Number(row[`median_${k + 1}`]) : null,
    })),
    conversion_rate: percentOf(visitors.at(-1)!, first),
  };
}
