import { QueryError } from "@pixel/lib/stats/error";
import { addDays, addMonths } from "@pixel/lib/time";
import { presetDays } from "@pixel/lib/stats/dates";
import type { QueryAnswer } from "@pixel/lib/stats/query";
import { PROPS_PREFIX } from "@pixel/lib/stats/vocabulary";
import { parseV1Filters } from "./filters";

export type V1Report = "aggregate" | "timeseries" | "breakdown";

const PERIODS = ["12mo", "6mo", "month", "30d", "7d", "day", "custom"] as const;
type Period = (typeof PERIODS)[number];
const DATE = /^\d{4}-\d\d-\d\d$/;
const BREAKDOWN_LIMIT = { default: 100, max: 1000 };

const PARAMETERS: Record<V1Report, string[]> = {
  aggregate: ["site_id", "period", "date", "metrics", "filters", "compare", "with_imported"],
  timeseries: ["site_id", "period", "date", "metrics", "filters", "interval", "with_imported"],
  breakdown: ["site_id", "period", "date", "metrics", "filters", "property", "limit", "page", "with_imported"],
};

/** A v1 request's query string as the v2 query that answers it (checked by the v2 schema next); or a QueryError. */
export function v2Query(report: V1Report, params: URLSearchParams): Record<string, unknown> {
  const unknown = [...params.keys()].find((key) => !PARAMETERS[report].includes(key));
  if (unknown) throw new QueryError(`${unknown}: not a parameter of /api/v1/stats/${report}; use ${PARAMETERS[report].join(", ")}`);
  const site_id = params.get("site_id");
  if (!site_id) throw new QueryError("site_id: required");
  const period = periodOf(params.get("period") ?? "30d");
  const query: Record<string, unknown> = {
    site_id,
    metrics: (params.get("metrics") ?? "visitors").split(",").map((metric) => metric.trim()),
    date_range: dateRange(period, params.get("date")),
    filters: parseV1Filters(params.get("filters") ?? ""),
  };
  if (report === "aggregate") return { ...query, ...comparison(params.get("compare")) };
  if (report === "timeseries") return { ...query, dimensions: [timeDimension(params.get("interval"), period)], include: { time_labels: true } };
  const property = params.get("property");
  if (!property) throw new QueryError("property: required, e.g. event:page or visit:source");
  const limit = whole("limit", params.get("limit"), BREAKDOWN_LIMIT.default, BREAKDOWN_LIMIT.max);
  const page = whole("page", params.get("page"), 1, 1_000);
  return { ...query, dimensions: [property], pagination: { limit, offset: (page - 1) * limit } };
}

function periodOf(value: string): Period {
  if ((PERIODS as readonly string[]).includes(value)) return value as Period;
  throw new QueryError(`period: ${JSON.stringify(value)} is not one of ${PERIODS.join(", ")}`);
}

/** v1's `date` picks the day a period ends on (a month's whole month); `custom` takes `date=from,to`. */
function dateRange(period: Period, date: string | null): string | [string, string] {
  if (period === "custom") {
    const [from, to, extra] = (date ?? "").split(",");
    if (!from || !to || extra !== undefined || !DATE.test(from) || !DATE.test(to)) throw new QueryError("date: period=custom needs date=YYYY-MM-DD,YYYY-MM-DD");
    return [from, to];
  }
  if (date === null) return period;
  if (!DATE.test(date)) throw new QueryError(`date: ${JSON.stringify(date)} is not YYYY-MM-DD`);
  if (period === "month") return [`${date.slice(0, 8)}01`, addDays(addMonths(`${date.slice(0, 8)}01`, 1), -1)];
  return presetDays(period, date);
}

function comparison(compare: string | null) {
  if (compare === null) return {};
  if (compare !== "previous_period") throw new QueryError(`compare: ${JSON.stringify(compare)} is not previous_period`);
  return { include: { comparisons: { mode: "previous_period" } } };
}

function timeDimension(interval: string | null, period: Period): string {
  const chosen = interval ?? (period === "6mo" || period === "12mo" ? "month" : "date");
  if (chosen === "date") return "time:day";
  if (chosen === "month") return "time:month";
  throw new QueryError(`interval: ${JSON.stringify(interval)} is not date or month`);
}

function whole(name: string, value: string | null, fallback: number, max: number): number {
  if (value === null) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) throw new QueryError(`${name}: a whole number from 1 to ${max}`);
  return number;
}

type Metrics = Record<string, number>;

/** The v2 answer in v1's shape for the report asked for. */
export function v1Answer(report: V1Report, answer: QueryAnswer): { results: unknown } {
  const metrics = answer.query.metrics as string[];
  const named = (values: number[]): Metrics => Object.fromEntries(metrics.map((metric, i) => [metric, values[i] ?? 0]));
  if (report === "aggregate") {
    const row = answer.results[0];
    const results = Object.fromEntries(
      metrics.map((metric, i) => [metric, { value: row?.metrics[i] ?? 0, ...(answer.query.include.comparisons && { change: row?.comparison?.change[i] ?? null }) }]),
    );
    return { results };
  }
  if (report === "timeseries") {
    const byLabel = new Map(answer.results.map((row) => [row.dimensions[0]!, row.metrics]));
    const zeros = metrics.map(() => 0);
    return { results: (answer.meta.time_labels ?? []).map((date) => ({ date, ...named(byLabel.get(date) ?? zeros) })) };
  }
  const key = propertyKey(answer.query.dimensions[0]!);
  return { results: answer.results.map((row) => ({ [key]: row.dimensions[0], ...named(row.metrics) })) };
}

/** The name v1 gives a breakdown's property in each result: `page` for event:page, `author` for event:props:author. */
const propertyKey = (dimension: string) => (dimension.startsWith(PROPS_PREFIX) ? dimension.slice(PROPS_PREFIX.length) : dimension.replace(/^(event|visit):/, ""));
