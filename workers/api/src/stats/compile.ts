import type { Dimension, FilterOperator, Metric, NormalizedQuery } from "./query";

export interface CompiledQuery {
  sql: string;
  params: Record<string, unknown>;
}

/** Every identifier in the SQL comes from these tables; every value travels as a query parameter. */
const METRIC_SQL: Record<Metric, string> = {
  visitors: "uniqExact(visitor_id)",
  visits: "uniqExact(session_id)",
  pageviews: "countIf(name = 'pageview')",
  events: "count()",
};

const DIMENSION_SQL: Record<Dimension, string> = {
  "event:page": "pathname",
  "event:hostname": "hostname",
  "event:name": "name",
  time: "toDate(timestamp, {tz:String})",
  "time:day": "toDate(timestamp, {tz:String})",
  "time:hour": "toStartOfHour(timestamp, {tz:String})",
};

const FILTER_SQL: Record<FilterOperator, (column: string, param: string) => string> = {
  is: (column, param) => `${column} IN {${param}:Array(String)}`,
  is_not: (column, param) => `${column} NOT IN {${param}:Array(String)}`,
  contains: (column, param) => `multiSearchAnyCaseInsensitiveUTF8(${column}, {${param}:Array(String)})`,
  contains_not: (column, param) => `NOT multiSearchAnyCaseInsensitiveUTF8(${column}, {${param}:Array(String)})`,
};

/** Query JSON → one parameterized SELECT over the site's events. Pure: no I/O. */
export function compileQuery(query: NormalizedQuery, timezone: string): CompiledQuery {
  const params: Record<string, unknown> = {
    site_id: query.site_id,
    tz: timezone,
    from: query.date_range[0],
    to: query.date_range[1],
    limit: query.pagination.limit,
    offset: query.pagination.offset,
  };
  const alias = aliases(query);
  const select = [
    ...query.dimensions.map((dimension, i) => `${DIMENSION_SQL[dimension]} AS d${i}`),
    ...query.metrics.map((metric, i) => `${METRIC_SQL[metric]} AS m${i}`),
  ];
  const where = [
    "site_id = {site_id:String}",
    "timestamp >= toDateTime({from:Date}, {tz:String})",
    "timestamp < toDateTime({to:Date} + 1, {tz:String})",
    ...query.filters.map(([operator, dimension, values], i) => {
      params[`f${i}`] = values;
      return FILTER_SQL[operator](DIMENSION_SQL[dimension], `f${i}`);
    }),
  ];
  const lines = [`SELECT ${select.join(", ")}`, "FROM events FINAL", `WHERE ${where.join("\n  AND ")}`];
  if (query.dimensions.length) lines.push(`GROUP BY ${query.dimensions.map((_, i) => `d${i}`).join(", ")}`);
  const order = query.order_by.map(([field, direction]) => `${alias.get(field)} ${direction.toUpperCase()}${fill(field, direction)}`);
  const tieBreak = query.dimensions.map((_, i) => `d${i} ASC`).filter((term) => !order.some((o) => o.startsWith(term.split(" ")[0]!)));
  if (order.length || tieBreak.length) lines.push(`ORDER BY ${[...order, ...tieBreak].join(", ")}`);
  lines.push("LIMIT {limit:UInt32} OFFSET {offset:UInt32}");
  return { sql: lines.join("\n"), params };
}

function aliases(query: NormalizedQuery): Map<string, string> {
  return new Map<string, string>([
    ...query.dimensions.map((dimension, i) => [dimension, `d${i}`] as [string, string]),
    ...query.metrics.map((metric, i) => [metric, `m${i}`] as [string, string]),
  ]);
}

/** Days without hits still appear in a daily time series, with zeros. */
function fill(field: string, direction: string): string {
  if ((field === "time:day" || field === "time") && direction === "asc") {
    return " WITH FILL FROM {from:Date} TO {to:Date} + 1 STEP 1";
  }
  return "";
}
