import { describe, expect, it } from "vitest";
import { daysBetween, shiftedDays } from "./dates";

describe("shiftedDays", () => {
  it("compares with as many days just before", () => {
    expect(shiftedDays("previous_period", ["2026-11-22", "2026-11-28"])).toEqual(["2026-11-15", "2026-11-21"]);
    expect(shiftedDays("previous_period", ["2026-11-28", "2026-11-28"])).toEqual(["2026-11-27", "2026-11-27"]);
    // "This month" on the 28th compares with the 28 days before it, not with the whole of October.
    expect(shiftedDays("previous_period", ["2026-11-01", "2026-11-28"])).toEqual(["2026-10-04", "2026-10-31"]);
    expect(shiftedDays("previous_period", ["2026-03-01", "2026-03-01"])).toEqual(["2026-02-28", "2026-02-28"]);
  });

  it("compares with the same days a year earlier", () => {
    expect(shiftedDays("year_over_year", ["2026-11-01", "2026-11-28"])).toEqual(["2025-11-01", "2025-11-28"]);
    expect(shiftedDays("year_over_year", ["2028-02-29", "2028-03-01"])).toEqual(["2027-02-28", "2027-03-01"]);
  });

  it("keeps the length of the period", () => {
    const [from, to] = shiftedDays("previous_period", ["2026-01-31", "2026-03-01"]);
    expect(daysBetween(from, to)).toBe(daysBetween("2026-01-31", "2026-03-01"));
  });
});
