/** How a report widget draws its data: the api validates against these and the dashboard offers them. No imports. */
export const WIDGET_KINDS = ["number", "line", "bar", "table", "map"] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];
