import { describe, expect, it } from "vitest";
import type { QueryResponse, QueryRow } from "./api/types";
import { seriesKeys, shapeSeries } from "./series";

const row = (label: string, value: number): QueryRow => ({ dimensions: [label], metrics: [value] });
const answer = (results: QueryRow[], timeLabels?: string[]): QueryResponse => ({
  results,
  meta: timeLabels ? { time_labels: timeLabels } : {},
  query: {},
});

describe("seriesKeys", () => {
  it("prefers the API's labels", () => {
    expect(seriesKeys(answer([], ["2026-11-27", "2026-11-28"]), "day", null)).toEqual(["2026-11-27", "2026-11-28"]);
  });

  it("else lists the buckets of the known days", () => {
    expect(seriesKeys(answer([]), "day", { from: "2026-11-26", to: "2026-11-28" })).toEqual(["2026-11-26", "2026-11-27", "2026-11-28"]);
  });

  it("else uses the rows, sorted and unique", () => {
    expect(seriesKeys(answer([row("2026-11-28 00:00:00", 1), row("2026-11-20", 2)]), "day", null)).toEqual(["2026-11-20", "2026-11-28"]);
  });
});

describe("shapeSeries", () => {
  const keys = ["2026-11-26", "2026-11-27", "2026-11-28"];

  it("fills gaps in counts with zero and leaves rates empty", () => {
    const rows = [row("2026-11-26", 5), row("2026-11-28 00:00:00", 2)];
    expect(shapeSeries({ keys, rows, interval: "day", gap: 0 }).current).toEqual([5, 0, 2]);
    expect(shapeSeries({ keys, rows, interval: "day", gap: null }).current).toEqual([5, null, 2]);
  });

  it("leaves buckets that haven't happened yet empty", () => {
    const hours = ["2026-11-28 12:00:00", "2026-11-28 13:00:00", "2026-11-28 14:00:00"];
    const series = shapeSeries({ keys: hours, rows: [row("2026-11-28 12:00:00", 3)], interval: "hour", gap: 0, nowKey: "2026-11-28 13:00:00" });
    expect(series.current).toEqual([3, 0, null]);
  });

  it("lines the comparison up bucket by bucket, whatever its dates", () => {
    const series = shapeSeries({
      keys,
      rows: [row("2026-11-26", 1)],
      previousKeys: ["2026-11-23", "2026-11-24", "2026-11-25"],
      previousRows: [row("2026-11-24", 7), row("2026-11-25", 9)],
      interval: "day",
      gap: 0,
    });
    expect(series.previous).toEqual([0, 7, 9]);
  });

  it("gives shorter comparison periods no value past their end", () => {
    const series = shapeSeries({
      keys: ["2026-03-01", "2026-03-02", "2026-03-03"],
      rows: [],
      previousKeys: ["2026-02-01", "2026-02-02"],
      previousRows: [row("2026-02-02", 4)],
      interval: "day",
      gap: 0,
    });
    expect(series.previous).toEqual([0, 4, null]);
  });

  it("has no comparison when there is none", () => {
    expect(shapeSeries({ keys, rows: [], interval: "day", gap: 0 }).previous).toBeNull();
  });
});
