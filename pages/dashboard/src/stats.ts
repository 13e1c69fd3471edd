import type { DateRange, Filter, Goal, Interval, Metric, Query, QueryResponse, SimpleFilter } from "./api/types";
import type { Tab } from "./breakdowns";
import { addMinutes } from "./dates";

/** What every query of the site page shares. */
export interface Scope {
  siteId: string;
  range: DateRange;
  filters: SimpleFilter[];
}

export function totalsQuery(scope: Scope, metrics: readonly Metric[]): Query {
  return { site_id: scope.siteId, metrics: [...metrics], date_range: scope.range, ...withFilters(scope.filters) };
}

/** A series of one metric; "auto" lets the API pick the grain (for ranges only it can resolve, like "all"). */
export function timeseriesQuery(scope: Scope, metric: Metric, interval: Interval | "auto"): Query {
  return {
    ...totalsQuery(scope, [metric]),
    dimensions: [interval === "auto" ? "time" : `time:${interval}`],
    include: { time_labels: true },
  };
}

export interface ListOptions {
  metrics: Metric[];
  limit: number;
  offset?: number;
  search?: string;
  sort?: { by: Metric; dir: "asc" | "desc" } | null;
}

export function breakdownQuery(scope: Scope, tab: Tab, options: ListOptions): Query {
  const filters: Filter[] = [...scope.filters, ...(tab.filters ?? [])];
  const search = options.search?.trim();
  if (search) filters.push(["contains", tab.dimension, [search], { case_sensitive: false }]);
  const sort = options.sort ?? { by: options.metrics[0]!, dir: "desc" as const };
  return {
    site_id: scope.siteId,
    metrics: options.metrics,
    date_range: scope.range,
    dimensions: [tab.dimension],
    ...withFilters(filters),
    order_by: [
      [sort.by, sort.dir],
      [tab.dimension, "asc"],
    ],
    pagination: { limit: options.limit, offset: options.offset ?? 0 },
  };
}

/** Visitors over the last `minutes` up to `now`, a local date-time in the site's zone; a little slack covers clock skew. */
export function recentQuery(scope: Omit<Scope, "range">, now: string, minutes: number, dimension?: "event:page"): Query {
  return {
    ...totalsQuery({ ...scope, range: [addMinutes(now, -minutes), addMinutes(now, 2)] }, ["visitors"]),
    ...(dimension && {
      dimensions: [dimension],
      order_by: [
        ["visitors", "desc"],
        [dimension, "asc"],
      ],
      pagination: { limit: 10, offset: 0 },
    }),
  };
}

function withFilters(filters: Filter[]): { filters?: Filter[] } {
  return filters.length ? { filters } : {};
}

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** The metrics of a query without dimensions, in the order asked; zero when there are no rows. */
export function readTotals(response: QueryResponse, count: number): number[] {
  const metrics = response.results[0]?.metrics ?? [];
  return Array.from({ length: count }, (_, i) => num(metrics[i]));
}

export interface BreakdownRow {
  value: string;
  metrics: number[];
  /** The currency of the row's revenue metrics: a revenue goal's. */
  currency?: string;
}

/** A goal as the Goals card needs it: revenue goals have a currency. */
export type GoalCurrency = Pick<Goal, "displayName" | "currency">;

/** Goal breakdowns (the Goals card and its full list) get revenue columns when the site has revenue goals. */
export async function withRevenueColumns<T extends { tab: Tab; metrics: Metric[]; rows: BreakdownRow[] }>(
  data: T,
  scope: Scope,
  goals: GoalCurrency[] | undefined,
  ask: (query: Query) => Promise<QueryResponse>,
): Promise<T> {
  if (data.tab.dimension !== "event:goal" || !goals?.some((goal) => goal.currency)) return data;
  return { ...data, metrics: [...data.metrics, ...REVENUE_COLUMNS], rows: await withGoalRevenue(data.rows, scope, goals, ask) };
}

export const REVENUE_COLUMNS: Metric[] = ["total_revenue", "average_revenue"];

/**
 * Revenue goals' total and average revenue added to the goal rows, one query per currency (the API counts one currency
 * per query and converts none); a goal without a currency gets zeros and no currency, which shows as "—".
 */
async function withGoalRevenue(
  rows: BreakdownRow[],
  scope: Scope,
  goals: GoalCurrency[],
  ask: (query: Query) => Promise<QueryResponse>,
): Promise<BreakdownRow[]> {
  const currencies = [...new Set(goals.flatMap((goal) => (goal.currency ? [goal.currency] : [])))];
  const revenue = new Map<string, { currency: string; metrics: number[] }>();
  await Promise.all(
    currencies.map(async (currency) => {
      const names = goals.filter((goal) => goal.currency === currency).map((goal) => goal.displayName);
      const filters: Filter[] = [...scope.filters, ["is", "event:goal", names]];
      const query: Query = { site_id: scope.siteId, metrics: REVENUE_COLUMNS, date_range: scope.range, dimensions: ["event:goal"], ...withFilters(filters) };
      for (const row of readRows(await ask(query))) revenue.set(row.value, { currency, metrics: row.metrics });
    }),
  );
  return rows.map((row) => {
    const found = revenue.get(row.value);
    return { ...row, metrics: [...row.metrics, ...(found?.metrics ?? [0, 0])], ...(found && { currency: found.currency }) };
  });
}

export function readRows(response: QueryResponse): BreakdownRow[] {
  return response.results.map((row) => ({ value: String(row.dimensions[0] ?? ""), metrics: row.metrics.map(num) }));
}
