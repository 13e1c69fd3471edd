import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./api/client";
import type { Query, QueryResponse, QueryRow } from "./api/types";
import { loadTotals, runCompared, runFirstSupported, Unavailable } from "./load";

const answer = (results: QueryRow[], query: Partial<Query> = {}): QueryResponse => ({ results, meta: {}, query });
const base: Query = { site_id: "s", metrics: ["visitors", "bounce_rate"], date_range: "7d" };
const previous = { mode: "previous_period" as const, range: ["2026-11-15", "2026-11-21"] as [string, string] };

describe("runCompared", () => {
  it("uses the API's comparisons when it has them", async () => {
    const run = vi.fn(async (_query: Query) =>
      answer([{ dimensions: [], metrics: [10, 40], comparison: { dimensions: [], metrics: [5, 50], change: [100, -20] } }]),
    );
    const result = await runCompared(run, base, previous);
    expect(run).toHaveBeenCalledOnce();
    expect(run.mock.calls[0]![0]).toMatchObject({ include: { comparisons: { mode: "previous_period" } } });
    expect(result.previous).toEqual([{ dimensions: [], metrics: [5, 50] }]);
  });

  it("asks for the previous range itself when the API refuses comparisons", async () => {
    const run = vi.fn(async (query: Query) => {
      if (query.include?.comparisons) throw new ApiError(400, "include: unknown key");
      return answer([{ dimensions: [], metrics: query.date_range === "7d" ? [10, 40] : [4, 60] }]);
    });
    const result = await runCompared(run, base, previous);
    expect(run).toHaveBeenCalledTimes(3);
    expect(run.mock.calls[2]![0].date_range).toEqual(["2026-11-15", "2026-11-21"]);
    expect(result.response.results[0]!.metrics).toEqual([10, 40]);
    expect(result.previous).toEqual([{ dimensions: [], metrics: [4, 60] }]);
  });

  it("doesn't hide other errors", async () => {
    const run = vi.fn(async () => Promise.reject(new ApiError(500, "boom")));
    await expect(runCompared(run, base, previous)).rejects.toMatchObject({ status: 500 });
  });
});

describe("loadTotals", () => {
  it("asks for each metric alone when the API refuses one, and marks that one unavailable", async () => {
    const run = vi.fn(async (query: Query) => {
      if (query.metrics.includes("bounce_rate")) throw new ApiError(400, "metrics: bounce_rate is not supported yet");
      return answer([{ dimensions: [], metrics: [7] }]);
    });
    expect(await loadTotals(run, base, null)).toEqual([
      { metric: "visitors", value: 7, previous: null },
      { metric: "bounce_rate", value: null, previous: null, reason: "metrics: bounce_rate is not supported yet" },
    ]);
  });

  it("reads values and comparisons in the order asked", async () => {
    const run = vi.fn(async () =>
      answer([{ dimensions: [], metrics: [10, 40], comparison: { dimensions: [], metrics: [5, 50], change: [] } }]),
    );
    expect(await loadTotals(run, base, previous)).toEqual([
      { metric: "visitors", value: 10, previous: 5 },
      { metric: "bounce_rate", value: 40, previous: 50 },
    ]);
  });
});

describe("runFirstSupported", () => {
  it("moves on past refused queries and says which one answered", async () => {
    const run = vi.fn(async (query: Query) => {
      if (query.metrics.length > 1) throw new ApiError(400, "nope");
      return answer([]);
    });
    const { query } = await runFirstSupported(run, [base, { ...base, metrics: ["visitors"] }]);
    expect(query.metrics).toEqual(["visitors"]);
  });

  it("is Unavailable when the API refuses them all", async () => {
    const run = vi.fn(async () => Promise.reject(new ApiError(400, "dimensions: unknown visit:city")));
    await expect(runFirstSupported(run, [base])).rejects.toBeInstanceOf(Unavailable);
    await expect(runFirstSupported(run, [base])).rejects.toMatchObject({ reason: "dimensions: unknown visit:city" });
  });
});
