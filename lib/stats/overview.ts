/**
 * The all-sites overview (`GET /api/sites/overview`, docs/api.md): per site, the visitors of the v2 ranges `day` and
 * `7d` and of the 7 days before, and the visitors of each of the 7 days, all in the site's timezone.
 */
export const OVERVIEW_DAYS = 7;

export interface SiteOverview {
  site_id: string;
  visitors_today: number;
  visitors_7d: number;
  visitors_previous_7d: number;
  /** The 7 days of `7d`, oldest first. */
  daily: { date: string; visitors: number }[];
}
