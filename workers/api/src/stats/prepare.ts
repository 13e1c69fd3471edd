import type { Site } from "@pixel/lib/d1/schema";
import { expandSegments, segmentIdsOf } from "@pixel/lib/segments";
import { QueryError } from "@pixel/lib/stats/error";
import { checkGoalsConfigured } from "@pixel/lib/stats/filters";
import { normalizeQuery, type ParsedQuery } from "@pixel/lib/stats/query";
import type { BatchItem } from "./batch";
import type { GoalDefinition } from "./filter-sql";
import { revenueCurrency } from "./revenue";

/** What a query needs from D1 before it compiles: the caller's site, the segments it names and the site's goals. */
export interface Lookups {
  site(siteId: string): Promise<Site | undefined>;
  segments(siteId: string, ids: number[]): Promise<Map<number, unknown[]>>;
  goals(siteId: string): Promise<GoalDefinition[]>;
}

type Prepared = Omit<BatchItem, "index"> | { status: 400 | 404; error: string };

/** A query checked against the caller's sites and normalized, with its site's timezone and goals; or why it can't run. */
export async function prepareQuery(input: ParsedQuery, lookups: Lookups): Promise<Prepared> {
  const site = await lookups.site(input.site_id);
  if (!site) return { status: 404, error: noSite(input.site_id) };
  try {
    const filters = await withSegments(input.filters, site.id, lookups);
    const query = normalizeQuery({ ...input, filters, site_id: site.id }, site);
    const goals = await lookups.goals(site.id);
    checkGoalsConfigured(query.filters, goals.map((goal) => goal.name));
    return { query, context: { timezone: site.timezone, goals, revenueCurrency: revenueCurrency(query, goals) } };
  } catch (error) {
    if (error instanceof QueryError) return { status: 400, error: error.message };
    throw error;
  }
}

/** Plausible's `["is", "segment", [id]]` filters, replaced by the filters of segments the caller may use on this site. */
async function withSegments(filters: unknown[], siteId: string, lookups: Lookups): Promise<unknown[]> {
  const ids = segmentIdsOf(filters);
  const found = await lookups.segments(siteId, ids);
  const unknown = ids.find((id) => !found.has(id));
  if (unknown !== undefined) throw new QueryError(`filters: no segment ${unknown} on this site that you can see`);
  return expandSegments(filters, found);
}

export const noSite = (siteId: string) => `site_id: no site ${siteId} that you can see`;
