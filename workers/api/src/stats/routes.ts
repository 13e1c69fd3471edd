import { Hono } from "hono";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "../../../../lib/clickhouse/client";
import type { ApiContext } from "../env";
import { readableSite } from "../sites/access";
import { jsonBody } from "../validate";
import { compileQuery } from "./compile";
import { normalizeQuery, QueryBody, QueryError } from "./query";

type ResultRow = Record<string, string | number>;

export const statsRoutes = new Hono<ApiContext>().post("/query", jsonBody(QueryBody), async (c) => {
  const input = c.req.valid("json");
  const site = await readableSite(c.env.DB, c.var.user, input.site_id);
  if (!site) return c.json({ error: `site_id: no site ${input.site_id} that you can see` }, 404);
  let query;
  try {
    query = normalizeQuery(input, site);
  } catch (error) {
    if (error instanceof QueryError) return c.json({ error: error.message }, 400);
    throw error;
  }
  const compiled = compileQuery(query, site.timezone);
  const client = connectClickHouse(clickHouseConfigFromEnv(c.env));
  try {
    const rows = await selectRows<ResultRow>(client, compiled.sql, compiled.params);
    const results = rows.map((row) => ({
      dimensions: query.dimensions.map((_, i) => String(row[`d${i}`])),
      metrics: query.metrics.map((_, i) => Number(row[`m${i}`])),
    }));
    return c.json({ results, meta: {}, query });
  } finally {
    await client.close();
  }
});
