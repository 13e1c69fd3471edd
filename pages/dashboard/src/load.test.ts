import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./api/client";
import { answerOf } from "@pixel/test/support/dashboard";
import type { Query } from "./api/types";
import { loadTotals, runCompared } from "./load";

const base: Query = { site_id: "s", metrics: ["visitors", "bounce_rate"], date_range: "7d" };
const previous = { mode: "previous_period" as const };
const compared = answerOf([{ dimensions: [], metrics: [10, 40], comparison: { dimensions: [], metrics: [5, 50], change: [100, -20] } }]);

describe("runCompared", () => {
  it("asks the api for the comparison period, in the same request", async () => {
    const run = vi.fn(async (_query: Query) => compared);
    const result = await runCompared(run, base, previous);
    expect(run).toHaveBeenCalledOnce();
    expect(run.mock.calls[0]![0]).toMatchObject({ include: { comparisons: { mode: "previous_period" } } });
    expect(result.previous).toEqual([{ dimensions: [], metrics: [5, 50] }]);
  });

  it("shows the api's refusal as it is, after one request", async () => {
    const run = vi.fn(async () => Promise.reject(new ApiError(400, "filters[0][2][0]: re2 has no lookaround or backreferences")));
    await expect(runCompared(run, base, previous)).rejects.toMatchObject({ status: 400, message: expect.stringContaining("re2") });
    expect(run).toHaveBeenCalledOnce();
  });
});

describe("loadTotals", () => {
  it("reads values and comparisons in the order asked", async () => {
    expect(await loadTotals(vi.fn(async () => compared), base, previous)).toEqual([
      { metric: "visitors", value: 10, previous: 5 },
      { metric: "bounce_rate", value: 40, previous: 50 },
    ]);
  });

  it("doesn't split a refused query into smaller ones", async () => {
    const run = vi.fn(async () => Promise.reject(new ApiError(400, "metrics: bounce_rate describes whole visits")));
    await expect(loadTotals(run, base, null)).rejects.toMatchObject({ status: 400 });
    expect(run).toHaveBeenCalledOnce();
  });
});
