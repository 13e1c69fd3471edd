import * as v from "valibot";

/** Retention cohorts (docs/stats-api.md, "Retention"): the report as the api answers it and the dashboard reads it. */

export const COHORT_PERIODS = ["day", "week", "month"] as const;
export type CohortPeriod = (typeof COHORT_PERIODS)[number];

export const CohortPeriod = v.picklist(COHORT_PERIODS, `period is ${COHORT_PERIODS.join(", ")}`);

/** Whom a cohort follows: a browser by pixel.js's visit days, or a signed-in user by the site's `user_id`. */
export const COHORT_UNITS = ["browser", "user"] as const;
export type CohortUnit = (typeof COHORT_UNITS)[number];

export const CohortUnit = v.picklist(COHORT_UNITS, `unit is ${COHORT_UNITS.join(", ")}`);

/** Cohorts (and so later periods) one report holds: a triangle of at most 100 × 100 cells. */
export const MAX_COHORTS = 100;

export interface CohortRow {
  /** The first local day of the cohort's period, `YYYY-MM-DD`. */
  cohort: string;
  /** Browsers (or users) first seen in this period, and active in it in what the filters select. */
  visitors: number;
  /** Period 0 (the cohort's own) and each later period up to the date range's end: visitors active in it, and percent of the cohort. */
  periods: { visitors: number; share: number }[];
}

/** What a retention table is of: the unit followed, and the period its cohorts and columns are. */
export type CohortKind = { period: CohortPeriod; unit: CohortUnit };

export interface RetentionReport {
  period: CohortPeriod;
  unit: CohortUnit;
  date_range: [string, string];
  cohorts: CohortRow[];
}
