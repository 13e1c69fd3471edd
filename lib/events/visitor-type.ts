/** Whether this browser had been on the site before today (docs/ingestion.md says what is counted). "" is unknown. */
export const VISITOR_TYPES = ["new", "returning"] as const;
export type VisitorType = (typeof VISITOR_TYPES)[number];
