import type { TimeGrain } from "@pixel/lib/stats/limits";
import { COUNTRY_NAMES } from "@pixel/lib/stats/countries";
import { type EventDimension, type Metric, namedDimension, type VisitDimension, type VisitNameDimension } from "@pixel/lib/stats/vocabulary";

/** The SQL of each word of the query language: the only identifiers compiled queries contain. */

export const EVENTS = "events FINAL";
const INTERACTIVE = "name NOT IN ('pageview', 'engagement')";
const first = (row: string) => `argMin(${row}, timestamp)`;

const literal = (text: string) => `'${text.replace(/[\\']/g, "\\$&")}'`;
const list = (texts: string[]) => `[${texts.map(literal).join(", ")}]`;
/** A country code's English name in SQL: a constant table, so it needs no dictionary on the server. */
const countryNameSql = (code: string) => `transform(${code}, ${list([...COUNTRY_NAMES.keys()])}, ${list([...COUNTRY_NAMES.values()])}, '')`;

/** A name dimension from the SQL of the stored dimension it names. */
const NAMED_SQL: Record<VisitNameDimension, (stored: string) => string> = {
  "visit:country_name": countryNameSql,
  "visit:region_name": (stored) => stored,
  "visit:city_name": (stored) => stored,
};
const isNameDimension = (dimension: VisitDimension): dimension is VisitNameDimension => dimension in NAMED_SQL;

/** A visit's attributes come from its first event (entry page: first pageview; exit page: last pageview). */
export const VISIT_SQL: Record<VisitDimension, string> = {
  "visit:entry_page": "argMinIf(pathname, timestamp, name = 'pageview')",
  "visit:exit_page": "argMaxIf(pathname, timestamp, name = 'pageview')",
  "visit:source": first("multiIf(utm_source != '', utm_source, referrer_host != '', referrer_host, 'Direct / None')"),
  "visit:referrer": first("referrer"),
  "visit:channel": first("channel"),
  "visit:utm_source": first("utm_source"),
  "visit:utm_medium": first("utm_medium"),
  "visit:utm_campaign": first("utm_campaign"),
  "visit:utm_term": first("utm_term"),
  "visit:utm_content": first("utm_content"),
  "visit:country": first("country"),
  "visit:region": first("region"),
  "visit:city": first("city"),
  "visit:device": first("device_type"),
  "visit:browser": first("browser"),
  "visit:browser_version": first("browser_version"),
  "visit:os": first("os"),
  "visit:os_version": first("os_version"),
  "visit:screen": first("multiIf(screen_width = 0, '', screen_width < 576, 'Mobile', screen_width < 992, 'Tablet', screen_width < 1440, 'Laptop', 'Desktop')"),
  "visit:visitor_type": first("visitor_type"),
  "visit:webview": first("webview"),
  "visit:linked_source": first("linked_source"),
  "visit:linked_channel": first("linked_channel"),
  "visit:country_name": countryNameSql(first("country")),
  "visit:region_name": first("region"),
  "visit:city_name": first("city"),
};

export const visitColumn = (dimension: VisitDimension) => `v_${dimension.slice("visit:".length)}`;

/** The same visit value from the sessions table's (time, value) pair per hour (lib/clickhouse/migrations/0004_sessions.sql). */
export const STORED_VISIT_SQL = (dimension: VisitDimension): string => {
  // The table's column, qualified: the code dimension's alias may share its name in the same SELECT.
  if (isNameDimension(dimension)) return NAMED_SQL[dimension](storedVisit(namedDimension(dimension), `sessions.${visitColumn(namedDimension(dimension))}`));
  return storedVisit(dimension, visitColumn(dimension));
};
/**
 * A visit attribute as one row (UTC hour) of the sessions table holds it. A visit's first-event attributes are all
 * those of its first row, so a visit a filter on them selects has a row in range the same filter selects.
 */
export const STORED_ROW_VISIT_SQL = (dimension: VisitDimension): string =>
  isNameDimension(dimension)
    ? NAMED_SQL[dimension](`tupleElement(sessions.${visitColumn(namedDimension(dimension))}, 2)`)
    : `tupleElement(sessions.${visitColumn(dimension)}, 2)`;
/** Visit attributes that are not their first event's: a row-level filter on them says nothing about the visit's first row. */
export const isFirstEventAttribute = (dimension: VisitDimension) => dimension !== "visit:entry_page" && dimension !== "visit:exit_page";
const storedVisit = (dimension: VisitDimension, column: string) => `${visitEnd(dimension).value}(tupleElement(${column}, 2), tupleElement(${column}, 1))`;
/** Which of a visit's stored (time, value) pairs holds its value: the last pageview's for the exit page, else the first. */
export const visitEnd = (dimension: string) => (dimension === "visit:exit_page" ? { time: "max", value: "argMax" } : { time: "min", value: "argMin" });

export const EVENT_COLUMNS: Record<Exclude<EventDimension, `event:props:${string}` | "event:goal">, string> = {
  "event:page": "pathname",
  "event:hostname": "hostname",
  "event:name": "name",
};

/** A conversion's revenue counts only in the query's revenue currency (revenue.ts): Pixel has no exchange rates. */
export const REVENUE_CURRENCY_PARAM = "revenue_currency";
const REVENUE_MATCH = `revenue_currency = {${REVENUE_CURRENCY_PARAM}:String}`;

/** Metrics over matching event rows. */
export const EVENT_METRIC_SQL: Partial<Record<Metric, string>> = {
  visitors: "uniqExact(visitor_id)",
  visits: "uniqExact(session_id)",
  pageviews: "countIf(name = 'pageview')",
  events: "countIf(name != 'engagement')",
  scroll_depth: ratio(
    "arraySum(maxMapIf([session_id], [toUInt64(scroll_depth)], name = 'engagement').2)",
    "length(maxMapIf([session_id], [toUInt64(scroll_depth)], name = 'engagement').2)",
  ),
  time_on_page: ratio("sumIf(engaged_ms, name = 'engagement') / 1000", "uniqExactIf(session_id, name = 'engagement')"),
  total_revenue: `sumIf(revenue_amount, ${REVENUE_MATCH})`,
  average_revenue: ratio(`sumIf(revenue_amount, ${REVENUE_MATCH})`, `countIf(${REVENUE_MATCH})`),
};

/** The sums of a set of visits that the visit metrics are made of, wherever they are summed (visit rows, rolled days). */
export const VISIT_SUMS = ["visitors", "visits", "pageviews", "events", "session_pageviews", "bounces", "duration_ms"] as const;
export type VisitSum = (typeof VISIT_SUMS)[number];

/** Each visit metric from the SQL of its sums: one formula for the visits merged at query time and for the rollups. */
export const VISIT_METRIC_FROM_SUMS: Partial<Record<Metric, { sums: VisitSum[]; sql: (sum: Record<VisitSum, string>) => string }>> = {
  visitors: { sums: ["visitors"], sql: (sum) => sum.visitors },
  visits: { sums: ["visits"], sql: (sum) => sum.visits },
  pageviews: { sums: ["pageviews"], sql: (sum) => sum.pageviews },
  events: { sums: ["events"], sql: (sum) => sum.events },
  views_per_visit: { sums: ["session_pageviews", "visits"], sql: (sum) => ratio(sum.session_pageviews, sum.visits) },
  bounce_rate: { sums: ["bounces", "visits"], sql: (sum) => ratio(`${sum.bounces} * 100`, sum.visits) },
  visit_duration: { sums: ["duration_ms", "visits"], sql: (sum) => ratio(`${sum.duration_ms} / 1000`, sum.visits) },
};

/** Metrics over matching visits (rows of the sessions subquery). */
export const SESSION_METRIC_SQL: Partial<Record<Metric, string>> = Object.fromEntries(
  Object.entries(VISIT_METRIC_FROM_SUMS).map(([metric, { sql }]) => [
    metric,
    sql({
      visitors: "uniqExactArray(visitor_ids)",
      visits: "count()",
      pageviews: "sum(matched_pageviews)",
      events: "sum(matched_events)",
      session_pageviews: "sum(session_pageviews)",
      bounces: "countIf(session_pageviews = 1 AND interactions = 0)",
      duration_ms: "sum(dateDiff('millisecond', started, ended))",
    }),
  ]),
);

/** What a visit row carries; `matched` selects the events the filters match. */
export const SESSION_COLUMN_SQL = {
  started: () => "min(timestamp)",
  ended: () => "max(timestamp)",
  session_pageviews: () => "countIf(name = 'pageview')",
  interactions: () => `countIf(${INTERACTIVE})`,
  visitor_ids: (matched: string) => `groupUniqArrayIf(visitor_id, ${matched})`,
  matched_pageviews: (matched: string) => `countIf(name = 'pageview' AND ${matched})`,
  matched_events: (matched: string) => `countIf(name != 'engagement' AND ${matched})`,
};
export type SessionColumn = keyof typeof SESSION_COLUMN_SQL;

/**
 * The columns of SESSION_COLUMN_SQL merged per visit from the sessions table's rows as stored (SESSION_ROWS), for
 * queries without event filters (all events match). A row stored twice (a resent hit, or two inserts into one hour
 * before a merge) repeats ids, so each set is merged before it is counted (uniqExact keeps each id's hash). FINAL
 * would let set sizes add up instead, but its cost grows with the parts whose keys overlap: at 10M events the totals'
 * merge read FINAL took 0.4 s on a well-merged month and 1.1-1.4 s on one of overlapping parts (docs/stats-api.md).
 */
export const STORED_SESSION_COLUMN_SQL: Record<SessionColumn, string> = {
  started: "min(started)",
  ended: "max(ended)",
  session_pageviews: "uniqExactArray(pageview_ids)",
  interactions: "uniqExactArray(interaction_ids)",
  visitor_ids: "groupArrayArray(visitor_ids)",
  matched_pageviews: "uniqExactArray(pageview_ids)",
  matched_events: "uniqExactArray(event_ids)",
};
/** STORED_SESSION_COLUMN_SQL for a visit with one row in range (most visits): its values as they are, each set distinct. */
export const STORED_ROW_SESSION_COLUMN_SQL: Record<SessionColumn, string> = {
  started: "started",
  ended: "ended",
  session_pageviews: "length(pageview_ids)",
  interactions: "length(interaction_ids)",
  visitor_ids: "visitor_ids",
  matched_pageviews: "length(pageview_ids)",
  matched_events: "length(event_ids)",
};
/** The sessions table's rows as stored, for readers that merge them per visit themselves (STORED_SESSION_COLUMN_SQL). */
export const SESSION_ROWS = "sessions";
/** Read FINAL, each event id sits in one row per hour, so the rows' set sizes add up. */
export const SESSIONS = "sessions FINAL";
/** Per site, UTC hour and path: visitor ids, pageview and event ids (lib/clickhouse/migrations/0005_pages.sql). */
export const PAGES = "pages FINAL";

/** Event-level metrics along time (sessions table) or by page (pages table): each row's events all fall in its hour. */
export const STORED_EVENT_METRIC_SQL: Partial<Record<Metric, string>> = {
  visitors: "uniqExactArray(visitor_ids)",
  pageviews: "sum(length(pageview_ids))",
  events: "sum(length(event_ids))",
};
/**
 * Per site, path, UTC hour and visit: the pages table's id sets by visit (lib/clickhouse/migrations/0014_page_visits.sql),
 * read as stored: a row stored twice repeats ids, so each id is counted once however many rows hold it.
 */
export const PAGE_VISITS = "page_visits";
/** STORED_EVENT_METRIC_SQL over page_visits rows. */
export const PAGE_VISIT_METRIC_SQL: Partial<Record<Metric, string>> = {
  visitors: STORED_EVENT_METRIC_SQL.visitors!,
  pageviews: "uniqExactArray(pageview_ids)",
  events: "uniqExactArray(event_ids)",
};
/** The columns of SESSION_COLUMN_SQL that a page filter's `matched` events make, merged per visit from its page_visits rows. */
export const PAGE_VISIT_SESSION_COLUMN_SQL: Partial<Record<SessionColumn, string>> = {
  visitor_ids: "groupUniqArrayArray(visitor_ids)",
  matched_pageviews: "uniqExactArray(pageview_ids)",
  matched_events: "uniqExactArray(event_ids)",
};

export const SESSION_METRIC_COLUMNS: Partial<Record<Metric, SessionColumn[]>> = {
  visitors: ["visitor_ids"],
  pageviews: ["matched_pageviews"],
  events: ["matched_events"],
  views_per_visit: ["session_pageviews"],
  bounce_rate: ["session_pageviews", "interactions"],
  visit_duration: ["started", "ended"],
};

export function ratio(numerator: string, denominator: string): string {
  return `if(${denominator} = 0, 0, ${numerator} / ${denominator})`;
}

/**
 * Shares of a row's visitors: of the query's visitors without dimensions (`total_visitors`); for conversion rates, as
 * Plausible defines them, of those visitors without the query's goal filters (`goal_base_visitors`), or of the
 * visitors of the row's own group (its dimensions but event:goal) without them (`group_base_visitors`).
 */
export const SHARE_METRIC_SQL: Partial<Record<Metric, string>> = {
  percentage: ratio("visitors * 100", "total_visitors"),
  conversion_rate: ratio("visitors * 100", "goal_base_visitors"),
  group_conversion_rate: ratio("visitors * 100", "group_base_visitors"),
};

export const BUCKET_FUNCTION: Record<TimeGrain, string> = {
  minute: "toStartOfMinute",
  hour: "toStartOfHour",
  day: "toDate",
  week: "toMonday",
  month: "toStartOfMonth",
};

