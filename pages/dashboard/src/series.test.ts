import { describe, expect, it } from "vitest";
import { answerOf } from "@pixel/test/support/dashboard";
import type { QueryRow } from "./api/types";
import { shapeSeries } from "./series";

const row = (label: string, value: number): QueryRow => ({ dimensions: [label], metrics: [value] });
const days = ["2026-11-26", "2026-11-27", "2026-11-28"];

describe("shapeSeries", () => {
  it("takes its buckets from the api's labels", () => {
    const response = answerOf([row("2026-11-26", 5), row("2026-11-28 00:00:00", 2)], { time_labels: days });
    expect(shapeSeries({ response, interval: "day", gap: 0 })).toEqual({ keys: days, current: [5, 0, 2], previous: null });
    expect(shapeSeries({ response, interval: "day", gap: null }).current).toEqual([5, null, 2]);
  });

  it("else from the rows, sorted and unique", () => {
    const response = answerOf([row("2026-11-28 00:00:00", 1), row("2026-11-20", 2)]);
    expect(shapeSeries({ response, interval: "day", gap: 0 }).keys).toEqual(["2026-11-20", "2026-11-28"]);
  });

  it("leaves buckets that haven't happened yet empty", () => {
    const hours = ["2026-11-28 12:00:00", "2026-11-28 13:00:00", "2026-11-28 14:00:00"];
    const response = answerOf([row("2026-11-28 12:00:00", 3)], { time_labels: hours });
    expect(shapeSeries({ response, interval: "hour", gap: 0, nowKey: "2026-11-28 13:00:00" }).current).toEqual([3, 0, null]);
  });

  it("lines the comparison up row by row, as the api paired them", () => {
    const response = answerOf([row("2026-11-26", 1), row("2026-11-27", 0), row("2026-11-28", 3)], { time_labels: days });
    const previousRows = [row("2026-11-23", 0), row("2026-11-24", 7), row("2026-11-25", 9)];
    expect(shapeSeries({ response, previousRows, interval: "day", gap: 0 }).previous).toEqual([0, 7, 9]);
  });

  it("gives the day the clocks go back its 25 hours, the repeated one twice with each of its values", () => {
    // Europe/Berlin, 2026-10-25: 02:00 happens twice (CEST, then CET); the api labels and rows both say so.
    const hours = Array.from({ length: 24 }, (_, h) => `2026-10-25 ${String(h).padStart(2, "0")}:00:00`);
    const labels = [...hours.slice(0, 3), hours[2]!, ...hours.slice(3)];
    const response = answerOf(
      labels.map((label, i) => row(label, i)),
      { time_labels: labels },
      { date_range: ["2026-10-25", "2026-10-25"] },
    );
    const series = shapeSeries({ response, interval: "hour", gap: 0 });
    expect(series.keys).toHaveLength(25);
    expect(series.keys.slice(2, 4)).toEqual(["2026-10-25 02:00:00", "2026-10-25 02:00:00"]);
    expect(series.current).toEqual(labels.map((_, i) => i));
  });

  it("gives the day the clocks go forward its 23 hours", () => {
    // Europe/Berlin, 2026-03-29: 02:00 never happens.
    const labels = Array.from({ length: 24 }, (_, h) => `2026-03-29 ${String(h).padStart(2, "0")}:00:00`).filter((label) => !label.includes(" 02:"));
    const response = answerOf([row("2026-03-29 03:00:00", 4)], { time_labels: labels }, { date_range: ["2026-03-29", "2026-03-29"] });
    const series = shapeSeries({ response, interval: "hour", gap: 0 });
    expect(series.keys).toHaveLength(23);
    expect(series.current[2]).toBe(4);
  });
});
