import { type ClickHouseClient, ClickHouseError } from "@clickhouse/client-web";
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { withReader } from "../clickhouse";
import { goals, type Site } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { queryableSite } from "../auth/caller";
import { jsonBody, parseWith } from "../validate";
import type { GoalDefinition } from "./filter-sql";
import { toCsv } from "./csv";
import { type NormalizedQuery, type ParsedQuery, type QueryAnswer, QueryBody } from "@pixel/lib/stats/query";
import { PropertyKeysBody, type ReportScope, ScrollDepthBody } from "@pixel/lib/stats/page-reports";
import { runPropertyKeys, runScrollDepth } from "./page-reports";
import type { CompileContext } from "./planner";
import { compileRealtimePages, compileRealtimeVisitors } from "./realtime";
import { segmentFilters } from "../segments/routes";
import { type Lookups, noSite, prepareQuery } from "./prepare";
import { withMoney } from "@pixel/lib/stats/money";
import { runCombined, runQuery } from "./run";
import { type BatchItem, type BatchLine, BatchBody, batchTasks } from "./batch";
import { logFor } from "@pixel/lib/log/http";
import { errorFields } from "@pixel/lib/log/log";

const RealtimeBody = v.strictObject({ site_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

export const statsRoutes = new Hono<ApiContext>()
  .post("/query", jsonBody(QueryBody), async (c) => {
    const answer = await answerQuery(c, c.req.valid("json"));
    // Plausible's endpoint answers revenue in Plausible's shape; /queries and /query/csv keep Pixel's plain numbers.
    return answer instanceof Response ? answer : c.json(withMoney(answer));
  })
  .post("/query/csv", jsonBody(QueryBody), async (c) => {
    const answer = await answerQuery(c, c.req.valid("json"));
    if (answer instanceof Response) return answer;
    return c.body(toCsv(answer), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="pixel-${answer.query.date_range.join("-to-").replaceAll(":", "")}.csv"`,
    });
  })
  .post("/property-keys", jsonBody(PropertyKeysBody), (c) => answerBeside(c, c.req.valid("json"), runPropertyKeys))
  .post("/scroll-depth", jsonBody(ScrollDepthBody), (c) => {
    const { page, ...scope } = c.req.valid("json");
    return answerBeside(c, scope, (client, query, context) => runScrollDepth(client, page, query, context));
  })
  .post("/queries", jsonBody(BatchBody), (c) => answerBatch(c, c.req.valid("json").queries))
  .post("/realtime", jsonBody(RealtimeBody), async (c) => {
    const site = await siteOf(c, c.req.valid("json").site_id);
    if (site instanceof Response) return site;
    const now = new Date();
    return withReader(c.env, async (client) => {
      const visitors = compileRealtimeVisitors(site.id, now);
      const pages = compileRealtimePages(site.id, now);
      const [counts] = await selectRows<{ last_5_minutes: number; last_30_minutes: number }>(client, visitors.sql, visitors.params);
      const current = await selectRows<{ page: string; visitors: number }>(client, pages.sql, pages.params);
      return c.json({ visitors: { last_5_minutes: Number(counts?.last_5_minutes ?? 0), last_30_minutes: Number(counts?.last_30_minutes ?? 0) }, pages: current });
    });
  });

export async function answerQuery(c: Context<ApiContext>, input: ParsedQuery): Promise<QueryAnswer | Response> {
  const prepared = await prepareQuery(input, lookupsFor(c));
  if ("error" in prepared) return c.json({ error: prepared.error }, prepared.status);
  return withReader(c.env, async (client) => {
    try {
      return await runQuery(client, prepared.query, prepared.context);
    } catch (error) {
      if (isBadRegex(error)) return c.json({ error: BAD_REGEX }, 400);
      throw error;
    }
  });
}

/** A report beside the query language (lib/stats/page-reports.ts), checked and prepared as a query is. */
async function answerBeside<T extends object>(
  c: Context<ApiContext>,
  scope: v.InferOutput<typeof ReportScope>,
  run: (client: ClickHouseClient, query: NormalizedQuery, context: CompileContext) => Promise<T>,
): Promise<Response> {
  const parsed = parseWith(QueryBody, { ...scope, metrics: ["visitors"] });
  if ("error" in parsed) return c.json({ error: parsed.error }, 400);
  const prepared = await prepareQuery(parsed.output, lookupsFor(c));
  if ("error" in prepared) return c.json({ error: prepared.error }, prepared.status);
  return withReader(c.env, async (client) => {
    try {
      return c.json(await run(client, prepared.query, prepared.context));
    } catch (error) {
      if (isBadRegex(error)) return c.json({ error: BAD_REGEX }, 400);
      throw error;
    }
  });
}

/** The caller's sites and their goals, each read once per request. */
export function lookupsFor(c: Context<ApiContext>): Lookups {
  const sites = new Map<string, Promise<Site | undefined>>();
  const goalsBySite = new Map<string, Promise<GoalDefinition[]>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>) => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key)!;
  };
  return {
    site: (siteId: string) => once(sites, siteId, () => queryableSite(c.env.DB, c.var.caller, siteId)),
    segments: (siteId: string, ids: number[]) => segmentFilters(c.env.DB, siteId, c.var.caller, ids),
    goals: (siteId: string) => once(goalsBySite, siteId, () => goalsOf(c.env.DB, siteId)),
  };
}

export const BAD_REGEX = "filters: a matches value is not a valid re2 regular expression";
export const isBadRegex = (error: unknown) => error instanceof ClickHouseError && error.type === "CANNOT_COMPILE_REGEXP";

/**
 * Several queries in one request, answered line by line as each finishes (NDJSON), so a page can show each
 * part when it is ready. Queries that can share one pass over the stored visits run as one SELECT.
 */
async function answerBatch(c: Context<ApiContext>, inputs: unknown[]): Promise<Response> {
  const prepared = await prepareBatch(c, inputs);
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  void streamAnswers(c, prepared, writable.getWriter());
  return new Response(readable, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}

/** Each query of a batch, ready to run, or the error line that answers it. */
async function prepareBatch(c: Context<ApiContext>, inputs: unknown[]): Promise<(BatchItem | BatchLine)[]> {
  const lookups = lookupsFor(c);
  return Promise.all(
    inputs.map(async (input, index): Promise<BatchItem | BatchLine> => {
      const parsed = parseWith(QueryBody, input);
      const prepared = "error" in parsed ? ({ status: 400, error: parsed.error } as const) : await prepareQuery(parsed.output, lookups);
      return "error" in prepared ? { index, status: prepared.status, error: `queries[${index}].${prepared.error}` } : { index, ...prepared };
    }),
  );
}

async function streamAnswers(c: Context<ApiContext>, prepared: (BatchItem | BatchLine)[], writer: WritableStreamDefaultWriter<Uint8Array>) {
  const encoder = new TextEncoder();
  const send = (lines: BatchLine[]) => Promise.all(lines.map((line) => writer.write(encoder.encode(`${JSON.stringify(line)}\n`))));
  const items = prepared.filter((item): item is BatchItem => "query" in item);
  try {
    await send(prepared.filter((item): item is BatchLine => !("query" in item)));
    if (items.length) {
      await withReader(c.env, (client) => batchTasks(client, items).then((tasks) => Promise.all(tasks.map(async (task) => send(await answerTask(c, client, task))))));
    }
    await writer.close();
  } catch (error) {
    // The reader is gone (the page was closed): nothing is left to answer.
    await writer.abort(error).catch(() => {});
  }
}

async function answerTask(c: Context<ApiContext>, client: ClickHouseClient, task: BatchItem[]): Promise<BatchLine[]> {
  try {
    const [{ query, context }] = task as [BatchItem];
    const answers = task.length > 1 ? await runCombined(client, task.map((item) => item.query), context) : [await runQuery(client, query, context)];
    return answers.map((answer, i) => ({ index: task[i]!.index, answer }));
  } catch (error) {
    if (isBadRegex(error)) return task.map(({ index }) => ({ index, status: 400, error: `queries[${index}].${BAD_REGEX}` }));
    logFor(c.req.raw, "api").error("batched stats query failed", errorFields(error));
    return task.map(({ index }) => ({ index, status: 500, error: "this query failed; try again, and check the api Worker's logs if it persists" }));
  }
}

export async function siteOf(c: Context<ApiContext>, siteId: string): Promise<Site | Response> {
  const site = await queryableSite(c.env.DB, c.var.caller, siteId);
  return site ?? c.json({ error: noSite(siteId) }, 404);
}


export async function goalsOf(d1: D1Database, siteId: string): Promise<GoalDefinition[]> {
  const rows = await database(d1).select().from(goals).where(eq(goals.siteId, siteId)).all();
  return rows.map((goal) => ({
    name: goal.displayName,
    kind: goal.kind,
    value: (goal.kind === "event" ? goal.eventName : goal.pagePath) ?? "",
    ...(goal.currency && { currency: goal.currency }),
  }));
}

