import { QueryError } from "@pixel/lib/stats/error";
import { type Filter, isGoalFilter } from "@pixel/lib/stats/filters";
import type { NormalizedQuery } from "@pixel/lib/stats/query";
import { isRevenueMetric } from "@pixel/lib/stats/vocabulary";
import type { GoalDefinition } from "./filter-sql";

/**
 * The one currency a query's revenue metrics count in: that of the revenue goals its `event:goal` filters name (or,
 * without such a filter, of all the site's revenue goals). Pixel has no exchange rates, so amounts in other currencies
 * are left out rather than summed, and goals in several currencies are refused rather than mixed.
 */
export function revenueCurrency(query: NormalizedQuery, goals: GoalDefinition[]): string | undefined {
  const metric = query.metrics.find(isRevenueMetric);
  if (!metric) return undefined;
  const named = query.filters.filter(isGoalFilter).flatMap((filter) => goalNames(filter));
  const counted = named.length ? goals.filter((goal) => named.includes(goal.name)) : goals;
  const currencies = [...new Set(counted.flatMap((goal) => (goal.currency ? [goal.currency] : [])))];
  if (currencies.length === 1) return currencies[0];
  throw new QueryError(
    currencies.length
      ? `metrics: ${metric} counts one currency; filter event:goal to revenue goals in one of ${currencies.join(", ")}`
      : `metrics: ${metric} needs a revenue goal (a goal with a currency)${named.length ? " among the event:goal filter's goals" : ""}`,
  );
}

const goalNames = (filter: Filter): string[] => (filter[0] === "is" ? (filter[2] as string[]) : []);
