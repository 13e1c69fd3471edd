import { describe, expect, it } from "vitest";
import { addDays, boundsFromQuery, fillDays, rangeBounds, todayIn } from "./dates";

describe("todayIn", () => {
  const now = new Date("2026-11-28T23:30:00Z");

  it("uses the site's time zone", () => {
    expect(todayIn("UTC", now)).toBe("2026-11-28");
    expect(todayIn("Europe/Berlin", now)).toBe("2026-11-29");
    expect(todayIn("America/Los_Angeles", now)).toBe("2026-11-28");
  });

  it("falls back to UTC for an unknown zone", () => {
    expect(todayIn("Mars/Olympus", now)).toBe("2026-11-28");
  });
});

describe("rangeBounds", () => {
  it("ends every range today", () => {
    expect(rangeBounds("day", "2026-11-28")).toEqual({ from: "2026-11-28", to: "2026-11-28" });
    expect(rangeBounds("7d", "2026-11-28")).toEqual({ from: "2026-11-22", to: "2026-11-28" });
    expect(rangeBounds("30d", "2026-03-01")).toEqual({ from: "2026-01-31", to: "2026-03-01" });
    expect(rangeBounds("month", "2026-11-28")).toEqual({ from: "2026-11-01", to: "2026-11-28" });
    expect(rangeBounds("all", "2026-11-28")).toBeNull();
  });

  it("adds days across months and years", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
  });
});

describe("boundsFromQuery", () => {
  it("reads dates or datetimes the API resolved", () => {
    expect(boundsFromQuery({ date_range: ["2026-11-01", "2026-11-28"] })).toEqual({ from: "2026-11-01", to: "2026-11-28" });
    expect(boundsFromQuery({ date_range: ["2026-11-01T00:00:00+01:00", "2026-11-28T23:59:59+01:00"] })).toEqual({
      from: "2026-11-01",
      to: "2026-11-28",
    });
  });

  it("ignores anything else", () => {
    expect(boundsFromQuery({ date_range: "7d" })).toBeNull();
    expect(boundsFromQuery({})).toBeNull();
    expect(boundsFromQuery(null)).toBeNull();
    expect(boundsFromQuery({ date_range: ["x", "y"] })).toBeNull();
  });
});

describe("fillDays", () => {
  it("fills days without rows with zero", () => {
    const filled = fillDays([{ day: "2026-11-24", value: 3 }], { from: "2026-11-22", to: "2026-11-25" }, "2026-11-25");
    expect(filled).toEqual([
      { day: "2026-11-22", value: 0 },
      { day: "2026-11-23", value: 0 },
      { day: "2026-11-24", value: 3 },
      { day: "2026-11-25", value: 0 },
    ]);
  });

  it("for all time, runs from the first day with data to today", () => {
    const filled = fillDays([{ day: "2026-11-26", value: 1 }], null, "2026-11-28");
    expect(filled.map((entry) => entry.day)).toEqual(["2026-11-26", "2026-11-27", "2026-11-28"]);
  });

  it("shows just today when there is no data at all", () => {
    expect(fillDays([], null, "2026-11-28")).toEqual([{ day: "2026-11-28", value: 0 }]);
  });
});
