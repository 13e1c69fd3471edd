/** The dropped-hits report of a site (GET /api/sites/:siteId/drops), as the api answers and the dashboard reads it. */
export interface DropsSummary {
  from: string;
  to: string;
  /** Hits dropped; personal data left out of stored hits (`PART_DROP_REASONS`) is listed by reason but not added here. */
  total: number;
  /** Every known reason (zero when none), then any other reason found, most hits first within the unknown ones. */
  reasons: { reason: string; hits: number; details: { detail: string; hits: number }[] }[];
  /** Every day of the range, with hits per reason; `total` as above. */
  days: { day: string; total: number; reasons: Record<string, number> }[];
}
