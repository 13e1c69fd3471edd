import { type Context, Hono } from "hono";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { QueryError } from "@pixel/lib/stats/error";
import { QueryBody } from "@pixel/lib/stats/query";
import type { ApiContext } from "../../env";
import { parseWith } from "../../validate";
import { compileRealtimeVisitors } from "../realtime";
import { withReader } from "../../clickhouse";
import { answerQuery, siteOf } from "../routes";
import { v1Answer, v2Query, type V1Report } from "./translate";

/** Plausible's Stats API v1 (GET, query-string parameters), each report answered by the v2 query it translates to. */
export const v1StatsRoutes = new Hono<ApiContext>()
  .get("/aggregate", (c) => answerReport(c, "aggregate"))
  .get("/timeseries", (c) => answerReport(c, "timeseries"))
  .get("/breakdown", (c) => answerReport(c, "breakdown"))
  .get("/realtime/visitors", async (c) => {
    const siteId = c.req.query("site_id");
    if (!siteId) return c.json({ error: "site_id: required" }, 400);
    const site = await siteOf(c, siteId);
    if (site instanceof Response) return site;
    const compiled = compileRealtimeVisitors(site.id, new Date());
    const [counts] = await withReader(c.env, (client) => selectRows<{ last_5_minutes: number }>(client, compiled.sql, compiled.params));
    return c.json(Number(counts?.last_5_minutes ?? 0));
  });

async function answerReport(c: Context<ApiContext>, report: V1Report): Promise<Response> {
  let query: Record<string, unknown>;
  try {
    query = v2Query(report, new URL(c.req.url).searchParams);
  } catch (error) {
    if (error instanceof QueryError) return c.json({ error: error.message }, 400);
    throw error;
  }
  const parsed = parseWith(QueryBody, query);
  if ("error" in parsed) return c.json({ error: parsed.error }, 400);
  const answer = await answerQuery(c, parsed.output);
  return answer instanceof Response ? answer : c.json(v1Answer(report, answer));
}
