import type { ClickHouseClient } from "@clickhouse/client-web";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { percentOf } from "@pixel/lib/stats/percent";
import { MAX_PROPERTY_KEYS, type PropertyKeysAnswer, SCROLL_BUCKET, SCROLL_BUCKETS, type ScrollDepthAnswer } from "@pixel/lib/stats/page-reports";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import { EVENTS } from "./catalog";
import { eventsInRangeSql, matchingVisitsSql } from "./compile";
import { Params } from "./params";
import type { CompileContext } from "./planner";
import { STATS_SETTINGS } from "./run";

/** The events in range of the visits the query's filters select, as the funnel reads them. */
function selectedEvents(query: NormalizedQuery, context: CompileContext, params: Params): string[] {
  return [eventsInRangeSql(query, context, params), ...(query.filters.length ? [`session_id IN (${matchingVisitsSql(query, context, params)})`] : [])];
}

/** The property keys the site's events (not engagement hits) carry, by the visitors whose events do. */
export function compilePropertyKeys(query: NormalizedQuery, context: CompileContext) {
  const params = new Params();
  const sql = [
    "SELECT key, uniqExact(visitor_id) AS visitors, count() AS events",
    `FROM ${EVENTS} ARRAY JOIN mapKeys(props) AS key`,
    `WHERE ${[...selectedEvents(query, context, params), "name != 'engagement'"].join("\n  AND ")}`,
    "GROUP BY key",
    "ORDER BY visitors DESC, key ASC",
    `LIMIT ${MAX_PROPERTY_KEYS}`,
  ].join("\n");
  return { sql, params: params.values };
}

export async function runPropertyKeys(client: ClickHouseClient, query: NormalizedQuery, context: CompileContext): Promise<PropertyKeysAnswer> {
  const { sql, params } = compilePropertyKeys(query, context);
  const rows = await selectRows<{ key: string; visitors: string | number; events: string | number }>(client, sql, params, STATS_SETTINGS);
  return { keys: rows.map((row) => ({ key: row.key, visitors: Number(row.visitors), events: Number(row.events) })), date_range: query.date_range };
}

/**
 * Each visit's deepest scroll on the page (the scroll_depth metric's unit, so the buckets average to it), counted
 * per bucket of SCROLL_BUCKET points.
 */
export function compileScrollDepth(page: string, query: NormalizedQuery, context: CompileContext) {
  const params = new Params();
  const where = [...selectedEvents(query, context, params), "name = 'engagement'", `pathname = ${params.add(page, "String")}`];
  const deepest = [`SELECT least(intDiv(max(scroll_depth), ${SCROLL_BUCKET}), ${SCROLL_BUCKETS - 1}) AS bucket`, `FROM ${EVENTS}`, `WHERE ${where.join("\n  AND ")}`, "GROUP BY session_id"].join("\n");
  return { sql: `SELECT bucket, count() AS visits\nFROM (${deepest})\nGROUP BY bucket`, params: params.values };
}

export async function runScrollDepth(client: ClickHouseClient, page: string, query: NormalizedQuery, context: CompileContext): Promise<ScrollDepthAnswer> {
  const { sql, params } = compileScrollDepth(page, query, context);
  const rows = await selectRows<{ bucket: string | number; visits: string | number }>(client, sql, params, STATS_SETTINGS);
  const counts = Array.from({ length: SCROLL_BUCKETS }, (_, i) => Number(rows.find((row) => Number(row.bucket) === i)?.visits ?? 0));
  const visits = counts.reduce((sum, count) => sum + count, 0);
  return {
    page,
    visits,
    buckets: counts.map((count, i) => ({ from: i * SCROLL_BUCKET, to: (i + 1) * SCROLL_BUCKET, visits: count, percentage: percentOf(count, visits) })),
    date_range: query.date_range,
  };
}
