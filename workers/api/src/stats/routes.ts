import { ClickHouseError } from "@clickhouse/client-web";
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "../../../../lib/clickhouse/client";
import { goals, type Site } from "../../../../lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { queryableSite } from "../auth/caller";
import { jsonBody } from "../validate";
import type { GoalDefinition } from "./compile";
import { toCsv } from "./csv";
import { normalizeQuery, type ParsedQuery, QueryBody, QueryError } from "./query";
import { compileRealtimePages, compileRealtimeVisitors } from "./realtime";
import { type QueryAnswer, runQuery } from "./run";

const RealtimeBody = v.strictObject({ site_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

export const statsRoutes = new Hono<ApiContext>()
  .post("/query", jsonBody(QueryBody), async (c) => {
    const answer = await answerQuery(c, c.req.valid("json"));
    return answer instanceof Response ? answer : c.json(answer);
  })
  .post("/query/csv", jsonBody(QueryBody), async (c) => {
    const answer = await answerQuery(c, c.req.valid("json"));
    if (answer instanceof Response) return answer;
    return c.body(toCsv(answer), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="pixel-${answer.query.date_range.join("-to-").replaceAll(":", "")}.csv"`,
    });
  })
  .post("/realtime", jsonBody(RealtimeBody), async (c) => {
    const site = await siteOf(c, c.req.valid("json").site_id);
    if (site instanceof Response) return site;
    const now = new Date();
    return withClickHouse(c, async (client) => {
      const visitors = compileRealtimeVisitors(site.id, now);
      const pages = compileRealtimePages(site.id, now);
      const [counts] = await selectRows<{ last_5_minutes: number; last_30_minutes: number }>(client, visitors.sql, visitors.params);
      const current = await selectRows<{ page: string; visitors: number }>(client, pages.sql, pages.params);
      return c.json({ visitors: { last_5_minutes: Number(counts?.last_5_minutes ?? 0), last_30_minutes: Number(counts?.last_30_minutes ?? 0) }, pages: current });
    });
  });

async function answerQuery(c: Context<ApiContext>, input: ParsedQuery): Promise<QueryAnswer | Response> {
  const site = await siteOf(c, input.site_id);
  if (site instanceof Response) return site;
  let query;
  try {
    query = normalizeQuery(input, site);
  } catch (error) {
    if (error instanceof QueryError) return c.json({ error: error.message }, 400);
    throw error;
  }
  const context = { timezone: site.timezone, goals: await goalsOf(c.env.DB, site.id) };
  return withClickHouse(c, async (client) => {
    try {
      return await runQuery(client, query, context);
    } catch (error) {
      if (error instanceof ClickHouseError && error.type === "CANNOT_COMPILE_REGEXP") {
        return c.json({ error: "filters: a matches value is not a valid re2 regular expression" }, 400);
      }
      throw error;
    }
  });
}

async function siteOf(c: Context<ApiContext>, siteId: string): Promise<Site | Response> {
  const site = await queryableSite(c.env.DB, c.var.caller, siteId);
  return site ?? c.json({ error: `site_id: no site ${siteId} that you can see` }, 404);
}

async function goalsOf(d1: D1Database, siteId: string): Promise<GoalDefinition[]> {
  const rows = await database(d1).select().from(goals).where(eq(goals.siteId, siteId)).all();
  return rows.map((goal) => ({
    name: goal.displayName,
    kind: goal.kind,
    value: (goal.kind === "event" ? goal.eventName : goal.pagePath) ?? "",
  }));
}

async function withClickHouse<T>(c: Context<ApiContext>, use: (client: ReturnType<typeof connectClickHouse>) => Promise<T>): Promise<T> {
  const client = connectClickHouse(clickHouseConfigFromEnv(c.env));
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
