import { Hono } from "hono";
import * as v from "valibot";
import { CohortPeriod, CohortUnit, type RetentionReport } from "@pixel/lib/cohorts";
import { QueryError } from "@pixel/lib/stats/error";
import { QueryBody } from "@pixel/lib/stats/query";
import { withReader } from "../clickhouse";
import type { ApiContext } from "../env";
import { prepareQuery } from "../stats/prepare";
import { BAD_REGEX, isBadRegex, lookupsFor } from "../stats/routes";
import { jsonBody, parseWith } from "../validate";
import { runRetention } from "./report";

/** A site, its date range and filters as the v2 query language reads them, and the cohorts' period and unit. */
const RetentionBody = v.strictObject({
  ...v.pick(QueryBody, ["site_id", "date_range", "filters"]).entries,
  period: v.optional(CohortPeriod, "week"),
  unit: v.optional(CohortUnit, "browser"),
});

/** POST /api/v2/retention: who may query the site's stats (cookie, API key or share token) may ask. */
export const retentionRoutes = new Hono<ApiContext>().post("/", jsonBody(RetentionBody), async (c) => {
  const { period, unit, ...input } = c.req.valid("json");
  const parsed = parseWith(QueryBody, { ...input, metrics: ["visitors"] });
  if ("error" in parsed) return c.json({ error: parsed.error }, 400);
  const prepared = await prepareQuery(parsed.output, lookupsFor(c));
  if ("error" in prepared) return c.json({ error: prepared.error }, prepared.status);
  try {
    const cohorts = await withReader(c.env, (client) => runRetention(client, { period, unit }, prepared.query, prepared.context));
    return c.json({ period, unit, date_range: prepared.query.date_range, cohorts } satisfies RetentionReport);
  } catch (error) {
    if (error instanceof QueryError) return c.json({ error: error.message }, 400);
    if (isBadRegex(error)) return c.json({ error: BAD_REGEX }, 400);
    throw error;
  }
});
