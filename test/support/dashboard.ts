import type { QueryResponse, QueryRow } from "@pixel/pages/dashboard/src/api/types";

/** An answer as the api gives it, to a query over one day. */
export function answerOf(results: QueryRow[], meta: QueryResponse["meta"] = {}, query: Partial<QueryResponse["query"]> = {}): QueryResponse {
  return {
    results,
    meta,
    query: {
      site_id: "s",
      metrics: ["visitors"],
      date_range: ["2026-11-28", "2026-11-28"],
      dimensions: [],
      filters: [],
      order_by: [],
      pagination: { limit: 10_000, offset: 0 },
      include: { total_rows: false, time_labels: false },
      ...query,
    },
  };
}
