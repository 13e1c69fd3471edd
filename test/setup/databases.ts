/** Each test room gets its own ClickHouse database on the one local server, so rooms never see each other's rows. */
export const TEST_DATABASES = {
  collector: "pixel_test_collector",
  flusher: "pixel_test_flusher",
  api: "pixel_test_api",
  e2e: "pixel_test_e2e",
  /** Ground-truth data for the stats query tests (api project). */
  truth: "pixel_test_truth",
  /** Tracker behaviour tests (e2e project). */
  tracker: "pixel_test_tracker",
  /** Ingestion fault and corpus tests (e2e project). */
  ingestion: "pixel_test_ingestion",
  /** Dashboard browser tests (e2e project). */
  dashboard: "pixel_test_dashboard",
} as const;

/** `npm run dev`'s own database in its end-to-end test against an external ClickHouse; npm run dev makes and migrates it. */
export const DEV_DATABASE = "pixel_test_dev";
