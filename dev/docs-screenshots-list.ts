/** The e2e shots the docs show (test/support/screenshots.ts names them), copied into DOC_IMAGES. */
export const DOC_SCREENSHOTS = [
  "dashboard-overview",
  "dashboard-all-sites",
  "dashboard-details",
  "dashboard-mobile-dark",
  "explore-filter-editor",
  "explore-realtime",
  "explore-drops",
  "explore-share",
  "reports-grid",
  "reports-builder",
  "admin-settings-general",
  "admin-users",
] as const;

export const DOC_IMAGES = "docs/images";

/** The test files that take them. */
export const SCREENSHOT_TESTS = ["test/e2e/dashboard/overview.test.ts", "test/e2e/dashboard/explore.test.ts", "test/e2e/dashboard/reports.test.ts", "test/e2e/dashboard/admin.test.ts"];
