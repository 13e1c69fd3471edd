import { describe, expect, it } from "vitest";
import { withMoney, withoutMoney } from "./money";
import type { NormalizedQuery, QueryAnswer } from "./query";

const answer = (metrics: string[], currency?: string): QueryAnswer => ({
  results: [{ dimensions: ["Purchase"], metrics: [3, 0.3], comparison: { dimensions: ["Purchase"], metrics: [1, 0.1], change: [200, 200] } }],
  meta: currency ? { revenue_currency: currency } : {},
  query: { metrics } as NormalizedQuery,
});

describe("revenue in Plausible's shape", () => {
  it("turns each revenue metric into {currency, value}, in results and comparisons, and back", () => {
    const pixel = answer(["visitors", "total_revenue"], "EUR");
    const plausible = withMoney(pixel);
    expect(plausible.results[0]!.metrics).toEqual([3, { currency: "EUR", value: 0.3 }]);
    expect(plausible.results[0]!.comparison).toEqual({ dimensions: ["Purchase"], metrics: [1, { currency: "EUR", value: 0.1 }], change: [200, 200] });
    expect(withoutMoney(plausible)).toEqual(pixel);
  });

  it("leaves an answer without revenue metrics as it is", () => {
    const plain = answer(["visitors", "events"]);
    expect(withMoney(plain)).toBe(plain);
  });
});
