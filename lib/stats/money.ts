import type { QueryAnswer, ResultRow } from "./query";
import { isRevenueMetric } from "./vocabulary";

/** A revenue metric as Plausible's Stats API v2 answers it: the amount with its ISO 4217 currency. */
export interface Money {
  currency: string;
  value: number;
}

type MoneyRow = Omit<ResultRow, "metrics" | "comparison"> & {
  metrics: (number | Money | null)[];
  comparison?: Omit<NonNullable<ResultRow["comparison"]>, "metrics"> & { metrics: (number | Money | null)[] };
};

/** An answer with its revenue metrics as `{currency, value}`: what `POST /api/v2/query` sends, as Plausible does. */
export type MoneyAnswer = Omit<QueryAnswer, "results"> & { results: MoneyRow[] };

/**
 * Pixel's answer (revenue as plain numbers in `meta.revenue_currency`) in Plausible's shape, so Plausible's clients read
 * revenue unchanged.
 */
export function withMoney(answer: QueryAnswer): MoneyAnswer {
  const currency = answer.meta.revenue_currency;
  const revenue = answer.query.metrics.map(isRevenueMetric);
  if (!currency || !revenue.includes(true)) return answer;
  const money = (values: number[]) => values.map((value, i) => (revenue[i] ? { currency, value } : value));
  return {
    ...answer,
    results: answer.results.map((row) => ({
      ...row,
      metrics: money(row.metrics),
      ...(row.comparison && { comparison: { ...row.comparison, metrics: money(row.comparison.metrics) } }),
    })),
  };
}

/** Back to Pixel's shape: the number of each `{currency, value}` (the currency is in `meta.revenue_currency`). */
export function withoutMoney(answer: MoneyAnswer): QueryAnswer {
  const plain = (values: (number | Money | null)[]) => values.map((value) => (value !== null && typeof value === "object" ? value.value : value)) as number[];
  const results = answer.results.map(({ comparison, ...row }): ResultRow => ({
    ...row,
    metrics: plain(row.metrics),
    ...(comparison && { comparison: { ...comparison, metrics: plain(comparison.metrics) } }),
  }));
  return { ...answer, results };
}
