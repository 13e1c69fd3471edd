import { isVisitOnlyDimension, VISIT_DIMENSIONS, VISIT_NAME_DIMENSIONS } from "@pixel/lib/stats/vocabulary";

/** The metric and dimension sets the truth suites ask for, each compared with the ground truth (truth.ts). */

export const EVENT_METRICS = ["visitors", "visits", "pageviews", "events", "percentage"];
export const VISIT_METRICS = ["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration", "percentage"];
/** Entry and exit pages break down whole visits, not events (as in Plausible). */
export const VISIT_ONLY_METRICS = VISIT_METRICS.filter((metric) => metric !== "pageviews" && metric !== "events");
export const DIMENSION_SETS: [string[], string[]][] = [
  [[], VISIT_METRICS],
  [["event:page"], [...EVENT_METRICS, "scroll_depth", "time_on_page"]],
  [["event:page"], ["visitors", "pageviews", "events", "percentage"]], // the top pages: the pages table where it applies
  [["event:page"], ["visitors", "bounce_rate", "visit_duration", "views_per_visit"]], // of the visits entering there
  [["event:page", "visit:device"], ["bounce_rate"]],
  [["event:hostname"], EVENT_METRICS],
  [["event:name"], EVENT_METRICS],
  [["event:props:plan"], EVENT_METRICS],
  [["event:props:author"], EVENT_METRICS],
  [["event:goal"], [...EVENT_METRICS, "conversion_rate", "group_conversion_rate"]],
  [["event:goal", "visit:source"], ["visitors", "conversion_rate", "group_conversion_rate"]],
  [["time:day", "event:goal"], ["visitors", "group_conversion_rate"]],
  ...[...VISIT_DIMENSIONS, ...VISIT_NAME_DIMENSIONS].map((d): [string[], string[]] => [[d], isVisitOnlyDimension(d) ? VISIT_ONLY_METRICS : VISIT_METRICS]),
  [["visit:country_name", "event:page"], EVENT_METRICS],
  [["time:day"], VISIT_METRICS],
  [["time:hour"], VISIT_METRICS],
  [["time"], ["visitors", "visits", "bounce_rate"]],
  [["time:day", "visit:source"], VISIT_METRICS],
  [["time:day", "event:page"], EVENT_METRICS],
  [["event:page", "visit:device"], EVENT_METRICS],
  [["visit:country", "visit:browser"], VISIT_METRICS],
  [["visit:country", "visit:country_name"], VISIT_METRICS], // a name and its code from one stored column
];
