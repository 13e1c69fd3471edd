import type { CohortKind, CohortPeriod, CohortUnit, RetentionReport } from "@pixel/lib/cohorts";
import { request } from "./client";
import type { DateRange, Filter } from "./types";

export type { CohortPeriod, CohortUnit, RetentionReport };

/** A site's retention cohorts (docs/stats-api.md, "Retention"). */
export const retentionReport = (siteId: string, cohorts: CohortKind, range: DateRange, filters: Filter[], signal?: AbortSignal) =>
  request<RetentionReport>("POST", "/api/v2/retention", { site_id: siteId, ...cohorts, date_range: range, filters }, signal);
