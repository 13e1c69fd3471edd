import {
  caseSensitive,
  type Dimension,
  filterKinds,
  type EventDimension,
  type Filter,
  type FilterOperator,
  isEventDimension,
  isSessionMetric,
  isTimeDimension,
  isVisitDimension,
  type LocalTime,
  localBounds,
  type Metric,
  type NormalizedQuery,
  type TimeDimension,
  type TimeGrain,
  timeGrain,
  type VisitDimension,
} from "./query";
import { PROPS_PREFIX } from "../../../../lib/stats/vocabulary";
import { wallClock } from "../../../../lib/time";

export interface CompiledQuery {
  sql: string;
  params: Record<string, unknown>;
}

/** A conversion: a custom event by name, or a pageview whose path matches `value` (`*` matches any run). */
export interface GoalDefinition {
  name: string;
  kind: "event" | "page";
  value: string;
}

export interface CompileContext {
  timezone: string;
  goals: GoalDefinition[];
  /** false: read events at query time even where the sessions or pages table could answer (to compare both paths). */
  sessionsTable?: boolean;
}

/** Every value travels as a query parameter; every identifier in the SQL comes from the tables below. */
class Params {
  readonly values: Record<string, unknown> = {};
  private count = 0;

  add(value: unknown, type: string): string {
    const name = `p${this.count++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

const EVENTS = "events FINAL";
const INTERACTIVE = "name NOT IN ('pageview', 'engagement')";
const first = (row: string) => `argMin(${row}, timestamp)`;

/** A visit's attributes come from its first event (entry page: first pageview; exit page: last pageview). */
const VISIT_SQL: Record<VisitDimension, string> = {
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
};

const visitColumn = (dimension: VisitDimension) => `v_${dimension.slice("visit:".length)}`;

/** The same visit value from the sessions table's (time, value) pair per hour (lib/clickhouse/migrations/0004_sessions.sql). */
const STORED_VISIT_SQL = (dimension: VisitDimension) => {
  const column = visitColumn(dimension);
  return `${dimension === "visit:exit_page" ? "argMax" : "argMin"}(${column}.2, ${column}.1)`;
};

const EVENT_COLUMNS: Record<Exclude<EventDimension, `event:props:${string}` | "event:goal">, string> = {
  "event:page": "pathname",
  "event:hostname": "hostname",
  "event:name": "name",
};

/** Metrics over matching event rows. */
const EVENT_METRIC_SQL: Partial<Record<Metric, string>> = {
  visitors: "uniqExact(visitor_id)",
  visits: "uniqExact(session_id)",
  pageviews: "countIf(name = 'pageview')",
  events: "countIf(name != 'engagement')",
  scroll_depth: ratio(
    "arraySum(maxMapIf([session_id], [toUInt64(scroll_depth)], name = 'engagement').2)",
    "length(maxMapIf([session_id], [toUInt64(scroll_depth)], name = 'engagement').2)",
  ),
  time_on_page: ratio("sumIf(engaged_ms, name = 'engagement') / 1000", "uniqExactIf(session_id, name = 'engagement')"),
};

/** Metrics over matching visits (rows of the sessions subquery). */
const SESSION_METRIC_SQL: Partial<Record<Metric, string>> = {
  visitors: "uniqExactArray(visitor_ids)",
  visits: "count()",
  pageviews: "sum(matched_pageviews)",
  events: "sum(matched_events)",
  views_per_visit: ratio("sum(session_pageviews)", "count()"),
  bounce_rate: ratio("countIf(session_pageviews = 1 AND interactions = 0) * 100", "count()"),
  visit_duration: ratio("sum(dateDiff('millisecond', started, ended)) / 1000", "count()"),
};

/** What a visit row carries; `matched` selects the events the filters match. */
const SESSION_COLUMN_SQL = {
  started: () => "min(timestamp)",
  ended: () => "max(timestamp)",
  session_pageviews: () => "countIf(name = 'pageview')",
  interactions: () => `countIf(${INTERACTIVE})`,
  visitor_ids: (matched: string) => `groupUniqArrayIf(visitor_id, ${matched})`,
  matched_pageviews: (matched: string) => `countIf(name = 'pageview' AND ${matched})`,
  matched_events: (matched: string) => `countIf(name != 'engagement' AND ${matched})`,
};
type SessionColumn = keyof typeof SESSION_COLUMN_SQL;

/**
 * The columns of SESSION_COLUMN_SQL from the sessions table, for queries without event filters (all events match).
 * Read FINAL, each event id sits in one row, so counts add up; visitor ids may repeat across a visit's hours, and
 * uniqExactArray drops the repeats.
 */
const STORED_SESSION_COLUMN_SQL: Record<SessionColumn, string> = {
  started: "min(started)",
  ended: "max(ended)",
  session_pageviews: "sum(length(pageview_ids))",
  interactions: "sum(length(interaction_ids))",
  visitor_ids: "groupArrayArray(visitor_ids)",
  matched_pageviews: "sum(length(pageview_ids))",
  matched_events: "sum(length(event_ids))",
};
const SESSIONS = "sessions FINAL";
/** Per site, UTC hour and path: visitor ids, pageview and event ids (lib/clickhouse/migrations/0005_pages.sql). */
const PAGES = "pages FINAL";

/** Event-level metrics along time (sessions table) or by page (pages table): each row's events all fall in its hour. */
const STORED_EVENT_METRIC_SQL: Partial<Record<Metric, string>> = {
  visitors: "uniqExactArray(visitor_ids)",
  pageviews: "sum(length(pageview_ids))",
  events: "sum(length(event_ids))",
};

const SESSION_METRIC_COLUMNS: Partial<Record<Metric, SessionColumn[]>> = {
  visitors: ["visitor_ids"],
  pageviews: ["matched_pageviews"],
  events: ["matched_events"],
  views_per_visit: ["session_pageviews"],
  bounce_rate: ["session_pageviews", "interactions"],
  visit_duration: ["started", "ended"],
};

function ratio(numerator: string, denominator: string): string {
  return `if(${denominator} = 0, 0, ${numerator} / ${denominator})`;
}

const SHARE_SQL = ratio("visitors * 100", "total_visitors");

const BUCKET_FUNCTION: Record<TimeGrain, string> = {
  minute: "toStartOfMinute",
  hour: "toStartOfHour",
  day: "toDate",
  week: "toMonday",
  month: "toStartOfMonth",
};

/** Query JSON → one parameterized SELECT. Pure: no I/O. */
export function compileQuery(query: NormalizedQuery, context: CompileContext): CompiledQuery {
  const compiler = new Compiler(query, context);
  return { sql: compiler.sql(), params: compiler.params.values };
}

const COMBINABLE_METRICS: ReadonlySet<Metric> = new Set(["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration"]);

/**
 * Whether a query can share one pass over the stored visits with others of its site, range and filters
 * (compileCombined): totals or one visit breakdown, visit-level metrics, no event filters, comparison or row count.
 */
export function isCombinable(query: NormalizedQuery, context: CompileContext): boolean {
  return (
    readsStoredTables(query, context) &&
    query.dimensions.length <= 1 &&
    query.dimensions.every(isVisitDimension) &&
    query.metrics.every((metric) => COMBINABLE_METRICS.has(metric)) &&
    query.filters.every((filter) => !filterKinds(filter).has("event")) &&
    !query.include.comparisons &&
    !query.include.total_rows
  );
}

/** Whether the sessions and pages tables cover the range exactly: its bounds fall on whole UTC hours. */
function readsStoredTables(query: NormalizedQuery, context: CompileContext): boolean {
  const [from, to] = localBounds(query.date_range);
  return context.sessionsTable !== false && onUtcHour(from, context.timezone) && onUtcHour(to, context.timezone);
}

/** Queries that may share a pass share this key. */
export const combiningKey = (query: NormalizedQuery) => JSON.stringify([query.site_id, query.date_range, query.filters]);

type Row = Record<string, unknown>;

export interface CombinedQuery extends CompiledQuery {
  /** A query's rows from the combined result, as compileQuery's SQL would name them (d0, m0, m1, …), unsorted. */
  rowsOf(query: NormalizedQuery, rows: Row[]): Row[];
}

/**
 * Several combinable queries with one key as one SELECT: the visits are merged once and grouped by each
 * query's dimension (GROUPING SETS), instead of once per query. The dashboard's overview asks for totals and
 * three visit breakdowns at once, and merging the visits is most of each one's cost.
 */
export function compileCombined(queries: NormalizedQuery[], context: CompileContext): CombinedQuery {
  return new Compiler(queries[0]!, context).combined(queries);
}

class Compiler {
  private readonly tz: string;
  private readonly from: string;
  private readonly to: string;
  private readonly goals: string;
  private readonly stored: boolean;

  constructor(
    private readonly query: NormalizedQuery,
    private readonly context: CompileContext,
    readonly params = new Params(),
  ) {
    const [from, to] = localBounds(query.date_range);
    this.tz = this.params.add(context.timezone, "String");
    this.from = this.params.add(from, "String");
    this.to = this.params.add(to, "String");
    this.goals = this.goalsExpression();
    this.stored = readsStoredTables(query, context);
  }

  sql(): string {
    const { query } = this;
    const dimensions = query.dimensions.map((_, i) => `d${i}`);
    const eventSide = this.eventMetrics();
    const sessionSide = query.metrics.filter((metric) => SESSION_METRIC_SQL[metric] && !eventSide.includes(metric));
    const derived = query.metrics.some((metric) => metric === "percentage" || metric === "conversion_rate");
    if (derived && !eventSide.includes("visitors") && !sessionSide.includes("visitors")) {
      (this.usesEventRows() ? eventSide : sessionSide).push("visitors");
    }
    const sources = [
      ...(eventSide.length ? [this.eventQuery(eventSide)] : []),
      ...(sessionSide.length || !eventSide.length ? [this.sessionQuery(sessionSide)] : []),
    ];
    const from = sources.map((source, i) => (i === 0 ? `(${source}) AS q${i}` : `FULL OUTER JOIN (${source}) AS q${i} USING (${dimensions.join(", ")})`));
    const select = [
      ...dimensions,
      ...query.metrics.map((metric, i) => `${metric === "percentage" || metric === "conversion_rate" ? SHARE_SQL : metric} AS m${i}`),
      ...(query.include.total_rows ? ["count() OVER () AS total_rows"] : []),
    ];
    const lines = [
      ...(derived ? [`WITH (${this.totalVisitorsQuery()}) AS total_visitors`] : []),
      `SELECT ${select.join(", ")}`,
      `FROM ${from.join("\n")}`,
    ];
    const order = this.orderBy();
    if (order) lines.push(`ORDER BY ${order}`);
    lines.push(`LIMIT ${this.params.add(query.pagination.limit, "UInt32")} OFFSET ${this.params.add(query.pagination.offset, "UInt32")}`);
    return lines.join("\n");
  }

  combined(queries: NormalizedQuery[]): CombinedQuery {
    const dimensions = [...new Set(queries.flatMap((query) => query.dimensions as VisitDimension[]))];
    const metrics = [...new Set(queries.flatMap((query) => query.metrics))];
    const columns = dimensions.map(visitColumn);
    const visits = this.storedSessions([...new Set([...dimensions, ...this.neededVisitDimensions()])], this.sessionColumns(metrics));
    const sets = [...new Set(queries.map((query) => query.dimensions[0] ?? ""))].map((d) => `(${d && visitColumn(d as VisitDimension)})`);
    const grouped = columns.length > 0;
    const sql = this.aggregate(
      [],
      [...(grouped ? [`grouping(${columns.join(", ")}) AS grouping_set`, ...columns] : []), ...metrics.map((m) => `${SESSION_METRIC_SQL[m]} AS ${m}`)],
      `(${visits})`,
      this.filtersOf("visit").map((filter) => this.visitFilter(filter)),
    );
    // grouping() sets a column's bit (the first column is the highest) when the row is NOT grouped by it.
    const all = (1 << columns.length) - 1;
    const setOf = (query: NormalizedQuery) => {
      const dimension = query.dimensions[0] as VisitDimension | undefined;
      return dimension ? all & ~(1 << (columns.length - 1 - dimensions.indexOf(dimension))) : all;
    };
    return {
      sql: grouped ? `${sql}\nGROUP BY GROUPING SETS (${sets.join(", ")})` : sql,
      params: this.params.values,
      rowsOf: (query, rows) =>
        rows
          .filter((row) => !grouped || Number(row.grouping_set) === setOf(query))
          .map((row) => ({
            ...(query.dimensions[0] ? { d0: row[visitColumn(query.dimensions[0] as VisitDimension)] } : {}),
            ...Object.fromEntries(query.metrics.map((metric, i) => [`m${i}`, row[metric]])),
          })),
    };
  }

  /** Metrics read from event rows: all of them with an event:* dimension, the event-level ones along time. */
  private eventMetrics(): Metric[] {
    if (!this.usesEventRows()) return [];
    const onEvents = (metric: Metric) =>
      EVENT_METRIC_SQL[metric] && (this.query.dimensions.some(isEventDimension) || !isSessionMetric(metric));
    return this.query.metrics.filter(onEvents);
  }

  private usesEventRows(): boolean {
    return this.query.dimensions.some((d) => isEventDimension(d) || isTimeDimension(d));
  }

  private eventQuery(metrics: Metric[]): string {
    const { query } = this;
    if (this.storedPages(metrics)) {
      return this.aggregate(
        ["pathname"],
        metrics.map((metric) => `${STORED_EVENT_METRIC_SQL[metric]} AS ${metric}`),
        PAGES,
        [this.storedWhere(), ...query.filters.map((filter) => this.eventFilter(filter))],
      );
    }
    if (this.storedTimeSeries(metrics)) {
      return this.aggregate(
        query.dimensions.map((d) => this.bucket(d as TimeDimension, "hour")),
        metrics.map((metric) => `${STORED_EVENT_METRIC_SQL[metric]} AS ${metric}`),
        SESSIONS,
        [this.storedWhere()],
      );
    }
    const visitDimensions = query.dimensions.filter(isVisitDimension);
    const visitFilters = this.filtersOf("visit");
    const needsVisits = visitDimensions.length > 0 || visitFilters.length > 0;
    const where = [
      this.baseWhere(),
      ...this.filtersOf("event").map((filter) => this.eventFilter(filter)),
      ...visitFilters.map((filter) => this.visitFilter(filter)),
      ...(query.dimensions.includes("event:name") ? ["name != 'engagement'"] : []),
    ];
    const join = needsVisits ? `\nINNER JOIN (${this.sessionsSubquery(this.neededVisitDimensions(), null)}) AS s USING (session_id)` : "";
    return this.aggregate(
      query.dimensions.map((d) => this.eventDimension(d)),
      metrics.map((metric) => `${EVENT_METRIC_SQL[metric]} AS ${metric}`),
      `${EVENTS}${join}`,
      where,
    );
  }

  private sessionQuery(metrics: Metric[]): string {
    if (this.storedTotalVisitors(metrics)) return this.storedTotals(metrics);
    const eventFilters = this.filtersOf("event");
    const match = eventFilters.length ? eventFilters.map((filter) => this.eventFilter(filter)).join(" AND ") : null;
    return this.aggregate(
      this.query.dimensions.map((d) => (isTimeDimension(d) ? this.bucket(d, "started") : visitColumn(d as VisitDimension))),
      metrics.map((metric) => `${SESSION_METRIC_SQL[metric]} AS ${metric}`),
      `(${this.sessionsSubquery(this.neededVisitDimensions(), match, this.sessionColumns(metrics))})`,
      this.filtersOf("visit").map((filter) => this.visitFilter(filter)),
    );
  }

  /**
   * Totals without filters: the range's visitors are the union of its rows' visitor ids, which needs no merging per
   * visit (merging each visit's id arrays measured as the costliest part of the totals).
   */
  private storedTotalVisitors(metrics: Metric[]): boolean {
    return this.stored && this.query.dimensions.length === 0 && this.query.filters.length === 0 && metrics.includes("visitors");
  }

  private storedTotals(metrics: Metric[]): string {
    const visitors = this.aggregate([], [`${SESSION_METRIC_SQL.visitors} AS visitors`], SESSIONS, [this.storedWhere()]);
    const others = metrics.filter((metric) => metric !== "visitors");
    if (others.length === 0) return visitors;
    return this.aggregate(
      [],
      [`(${visitors}) AS visitors`, ...others.map((metric) => `${SESSION_METRIC_SQL[metric]} AS ${metric}`)],
      `(${this.storedSessions([], this.sessionColumns(others))})`,
      [],
    );
  }

  /** A time series of event-level metrics with no other dimension and no filter sums the sessions table's hours. */
  private storedTimeSeries(metrics: Metric[]): boolean {
    const [dimension, ...others] = this.query.dimensions;
    return (
      this.stored &&
      dimension !== undefined &&
      isTimeDimension(dimension) &&
      this.grain(dimension) !== "minute" &&
      others.length === 0 &&
      this.query.filters.length === 0 &&
      metrics.every((metric) => STORED_EVENT_METRIC_SQL[metric])
    );
  }

  /** Top pages: a breakdown by event:page alone, filtered on the page only, sums the pages table's hours. */
  private storedPages(metrics: Metric[]): boolean {
    const onPage = (filter: Filter): boolean => {
      const [operator, second] = filter;
      if (operator === "and" || operator === "or") return (second as Filter[]).every(onPage);
      if (operator === "not") return onPage(second as Filter);
      return operator !== "has_done" && operator !== "has_not_done" && second === "event:page";
    };
    return (
      this.stored &&
      this.query.dimensions.length === 1 &&
      this.query.dimensions[0] === "event:page" &&
      this.query.filters.every(onPage) &&
      metrics.every((metric) => STORED_EVENT_METRIC_SQL[metric])
    );
  }

  private sessionColumns(metrics: Metric[]): SessionColumn[] {
    const time = this.query.dimensions.some(isTimeDimension) ? (["started"] as const) : [];
    return [...new Set([...time, ...metrics.flatMap((metric) => SESSION_METRIC_COLUMNS[metric] ?? [])])];
  }

  private aggregate(dimensions: string[], metrics: string[], from: string, where: string[]): string {
    const lines = [`SELECT ${[...dimensions.map((sql, i) => `${sql} AS d${i}`), ...metrics].join(", ")}`, `FROM ${from}`];
    if (where.length) lines.push(`WHERE ${where.join("\n  AND ")}`);
    if (dimensions.length) lines.push(`GROUP BY ${dimensions.map((_, i) => `d${i}`).join(", ")}`);
    return lines.join("\n");
  }

  /** One row per visit with events in range, with the `columns` asked for; `match` marks the events the filters select. */
  private sessionsSubquery(visitDimensions: VisitDimension[], match: string | null, columns: SessionColumn[] = []): string {
    if (!match && this.stored) return this.storedSessions(visitDimensions, columns);
    const selected = [
      "session_id",
      ...columns.map((column) => `${SESSION_COLUMN_SQL[column](match ?? "1")} AS ${column}`),
      ...(match ? [`countIf(${match}) AS matched`] : []),
      ...visitDimensions.map((d) => `${VISIT_SQL[d]} AS ${visitColumn(d)}`),
    ];
    const lines = [`SELECT ${selected.join(", ")}`, `FROM ${EVENTS}`, `WHERE ${this.baseWhere()}`, "GROUP BY session_id"];
    if (match) lines.push("HAVING matched > 0");
    return lines.join("\n");
  }

  /** The rows of sessionsSubquery (without event filters) merged from the sessions table's hours in range. */
  private storedSessions(visitDimensions: VisitDimension[], columns: SessionColumn[]): string {
    const selected = [
      "session_id",
      ...columns.map((column) => `${STORED_SESSION_COLUMN_SQL[column]} AS ${column}`),
      ...visitDimensions.map((d) => `${STORED_VISIT_SQL(d)} AS ${visitColumn(d)}`),
    ];
    return [`SELECT ${selected.join(", ")}`, `FROM ${SESSIONS}`, `WHERE ${this.storedWhere()}`, "GROUP BY session_id"].join("\n");
  }

  private storedWhere(): string {
    return [
      `site_id = ${this.params.add(this.query.site_id, "String")}`,
      `hour >= toDateTime(${this.from}, ${this.tz})`,
      `hour < toDateTime(${this.to}, ${this.tz})`,
    ].join(" AND ");
  }

  /** The denominator of percentage and conversion_rate: the visitors of the same query without dimensions. */
  private totalVisitorsQuery(): string {
    const total = { ...this.query, dimensions: [], metrics: ["visitors" as const] };
    return new Compiler(total, this.context, this.params).sessionQuery(["visitors"]);
  }

  private neededVisitDimensions(): VisitDimension[] {
    const fromFilters = this.query.filters.flatMap(dimensionsOf).filter(isVisitDimension);
    return [...new Set([...this.query.dimensions.filter(isVisitDimension), ...fromFilters])];
  }

  private baseWhere(): string {
    return [
      `site_id = ${this.params.add(this.query.site_id, "String")}`,
      `timestamp >= toDateTime64(${this.from}, 3, ${this.tz})`,
      `timestamp < toDateTime64(${this.to}, 3, ${this.tz})`,
    ].join(" AND ");
  }

  /** Each top-level filter reads either event rows or visits (normalizeQuery checks it). */
  private filtersOf(kind: "event" | "visit"): Filter[] {
    return this.query.filters.filter((filter) => filterKinds(filter).has(kind));
  }

  private eventDimension(dimension: Dimension): string {
    if (isTimeDimension(dimension)) return this.bucket(dimension, "timestamp");
    if (isVisitDimension(dimension)) return visitColumn(dimension);
    return this.eventColumn(dimension as EventDimension, true);
  }

  private eventColumn(dimension: EventDimension, asDimension: boolean): string {
    if (dimension === "event:goal") return asDimension ? `arrayJoin(${this.goals})` : this.goals;
    if (dimension.startsWith(PROPS_PREFIX)) return `props[${this.params.add(dimension.slice(PROPS_PREFIX.length), "String")}]`;
    return EVENT_COLUMNS[dimension as keyof typeof EVENT_COLUMNS];
  }

  /** The names of the goals an event row completes. */
  private goalsExpression(): string {
    const goals = this.context.goals;
    const names = this.params.add(goals.map((goal) => goal.name), "Array(String)");
    const kinds = this.params.add(goals.map((goal) => goal.kind), "Array(String)");
    const patterns = this.params.add(goals.map(goalPattern), "Array(String)");
    return `arrayFilter((goal, kind, pattern) -> (kind = 'event' AND match(name, pattern)) OR (kind = 'page' AND name = 'pageview' AND match(pathname, pattern)), ${names}, ${kinds}, ${patterns})`;
  }

  private eventFilter(filter: Filter): string {
    return this.filterSql(filter, (dimension, operator, values, sensitive) => {
      if (dimension === "event:goal") return this.goalCondition(operator, values, sensitive);
      return this.condition(this.eventColumn(dimension as EventDimension, false), operator, values, sensitive);
    });
  }

  private visitFilter(filter: Filter): string {
    return this.filterSql(filter, (dimension, operator, values, sensitive) => this.condition(visitColumn(dimension as VisitDimension), operator, values, sensitive));
  }

  private filterSql(filter: Filter, leaf: (dimension: string, operator: FilterOperator, values: string[], sensitive: boolean) => string): string {
    const [operator, second] = filter;
    if (operator === "and" || operator === "or") {
      return `(${(second as Filter[]).map((child) => this.filterSql(child, leaf)).join(` ${operator.toUpperCase()} `)})`;
    }
    if (operator === "not") return `NOT ${this.filterSql(second as Filter, leaf)}`;
    if (operator === "has_done" || operator === "has_not_done") {
      const visitors = `SELECT visitor_id FROM ${EVENTS} WHERE ${this.baseWhere()} AND ${this.filterSql(second as Filter, leaf)}`;
      return `visitor_id ${operator === "has_done" ? "IN" : "NOT IN"} (${visitors})`;
    }
    return leaf(second as string, operator, filter[2] as string[], caseSensitive(filter));
  }

  private condition(column: string, operator: FilterOperator, values: string[], sensitive: boolean): string {
    const positive = this.positive(column, operator.replace(/_not$/, "") as "is" | "contains" | "matches", values, sensitive);
    return operator.endsWith("_not") ? `NOT ${positive}` : positive;
  }

  private positive(column: string, operator: "is" | "contains" | "matches", values: string[], sensitive: boolean): string {
    if (operator === "is") {
      const list = this.params.add(values, "Array(String)");
      return sensitive ? `(${column} IN ${list})` : `has(arrayMap(value -> lowerUTF8(value), ${list}), lowerUTF8(${column}))`;
    }
    if (operator === "contains") return `multiSearchAny${sensitive ? "" : "CaseInsensitive"}UTF8(${column}, ${this.params.add(values, "Array(String)")})`;
    const pattern = (value: string) => (sensitive ? this.params.add(value, "String") : `concat('(?i)', ${this.params.add(value, "String")})`);
    return `(${values.map((value) => `match(${column}, ${pattern(value)})`).join(" OR ")})`;
  }

  private goalCondition(operator: FilterOperator, values: string[], sensitive: boolean): string {
    const base = operator.replace(/_not$/, "") as "is" | "contains" | "matches";
    const positive = `arrayExists(goal_name -> ${this.positive("goal_name", base, values, sensitive)}, ${this.goals})`;
    return operator.endsWith("_not") ? `NOT ${positive}` : positive;
  }

  private bucket(dimension: TimeDimension, column: string): string {
    return `${BUCKET_FUNCTION[this.grain(dimension)]}(${column}, ${this.tz})`;
  }

  private grain(dimension: TimeDimension): TimeGrain {
    return timeGrain(dimension, this.query.date_range);
  }

  private orderBy(): string {
    return orderTerms(this.query)
      .map(({ column, field, direction }) => `${column} ${direction.toUpperCase()}${field ? this.fill(field, direction) : ""}`)
      .join(", ");
  }

  /** Buckets without hits still appear in a time series that has no other dimension, with zeros. */
  private fill(field: string, direction: string): string {
    const { dimensions } = this.query;
    if (!isTimeDimension(field) || direction !== "asc" || dimensions.length !== 1) return "";
    const grain = this.grain(field);
    const instant = (time: string) => `toDateTime(${time}, ${this.tz})`;
    const bucket = (time: string) => `${BUCKET_FUNCTION[grain]}(${time}, ${this.tz})`;
    const step = `toInterval${grain[0]!.toUpperCase()}${grain.slice(1)}(1)`;
    return ` WITH FILL FROM ${bucket(instant(this.from))} TO ${bucket(`${instant(this.to)} - 1`)} + ${step} STEP ${step}`;
  }
}

/** Whether a local wall-clock time in `timezone` is a whole UTC hour (false in zones like Asia/Kolkata). */
/** The result columns a query is sorted by: its order_by, then its other dimensions ascending to break ties. */
export function orderTerms(query: NormalizedQuery): { column: string; field?: string; direction: "asc" | "desc" }[] {
  const column = (field: string) => {
    const dimension = query.dimensions.indexOf(field as Dimension);
    return dimension >= 0 ? `d${dimension}` : `m${query.metrics.indexOf(field as Metric)}`;
  };
  const ordered = new Set(query.order_by.map(([field]) => field));
  return [
    ...query.order_by.map(([field, direction]) => ({ column: column(field), field, direction })),
    ...query.dimensions.filter((d) => !ordered.has(d)).map((d) => ({ column: column(d), direction: "asc" as const })),
  ];
}

export function onUtcHour(local: LocalTime, timezone: string): boolean {
  if (!local.endsWith(":00:00")) return false;
  const guess = Date.parse(`${local.replace(" ", "T")}Z`);
  const offset = (at: number) => Date.parse(`${wallClock(at, timezone)}Z`) - at;
  try {
    return offset(guess) % 3_600_000 === 0 && offset(guess - offset(guess)) % 3_600_000 === 0;
  } catch {
    return false; // an unknown zone: ClickHouse refuses the query either way
  }
}

export function dimensionsOf(filter: Filter): string[] {
  const [operator, second] = filter;
  if (operator === "and" || operator === "or") return (second as Filter[]).flatMap(dimensionsOf);
  if (operator === "not" || operator === "has_done" || operator === "has_not_done") return dimensionsOf(second as Filter);
  return [second as string];
}

/** A goal's matcher as an re2 pattern: event names match exactly, page patterns with `*` as any run. */
export function goalPattern(goal: GoalDefinition): string {
  const escape = (text: string) => text.replace(/[\\^$.|?+()[\]{}]/g, "\\$&");
  if (goal.kind === "event") return `^${escape(goal.value).replaceAll("*", "\\*")}$`;
  return `^${goal.value.split("*").map(escape).join(".*")}$`;
}
