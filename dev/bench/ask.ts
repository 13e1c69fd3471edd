import type { ClickHouseClient } from "@clickhouse/client-web";
import * as v from "valibot";
import type { Site } from "@pixel/lib/d1/schema";
import { type QueryAnswer, QueryBody } from "@pixel/lib/stats/query";
import type { GoalDefinition } from "@pixel/workers/api/src/stats/filter-sql";
import { type Lookups, prepareQuery } from "@pixel/workers/api/src/stats/prepare";
import { runQuery } from "@pixel/workers/api/src/stats/run";
import { SITE } from "./queries.bench";

/** What the api reads from D1 for the big site before it compiles a query: its goals and its saved segments' filters. */
export interface SiteRecords {
  goals?: GoalDefinition[];
  segments?: Map<number, unknown[]>;
}

/** The big site as its D1 row. */
const BIG_SITE: Site = {
  id: SITE.id,
  domain: SITE.domain,
  name: "Big site",
  timezone: SITE.timezone,
  hostnames: [],
  retentionDays: 0,
  scriptName: "pixel.js",
  endpointName: "e",
  shields: { ipRanges: [], countries: [], paths: [], hostnames: [] },
  publicShare: false,
  shareTokenHash: null,
  shareEmbed: false,
  createdAt: new Date("2026-01-01"),
  dataSince: null,
};

/**
 * Answers a query body as `POST /api/v2/query` does for the big site: the api's own prepareQuery (segments expanded,
 * goals checked, the revenue currency chosen) and runQuery. The D1 records come from memory, so only the ClickHouse
 * side is measured.
 */
export function apiAnswers(client: ClickHouseClient, records: SiteRecords = {}): (body: unknown) => Promise<QueryAnswer> {
  const lookups: Lookups = {
    site: async (siteId) => (siteId === BIG_SITE.id ? BIG_SITE : undefined),
    segments: async (_siteId, ids) => new Map(ids.flatMap((id) => (records.segments?.has(id) ? [[id, records.segments.get(id)!] as const] : []))),
    goals: async () => records.goals ?? [],
  };
  return async (body) => {
    const prepared = await prepareQuery(v.parse(QueryBody, body), lookups);
    if ("error" in prepared) throw new Error(`the api refuses the bench's query: ${prepared.error}`);
    return runQuery(client, prepared.query, prepared.context);
  };
}
