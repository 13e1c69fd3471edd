import { describe, expect, it } from "vitest";
import {
  addDays,
  addMinutes,
  addMonths,
  bucketKey,
  chooseInterval,
  dayCount,
  defaultInterval,
  fittingTimeDimension,
  intervalsFor,
  isDay,
  localDateTimeIn,
  rangeBounds,
  todayIn,
} from "./dates";

describe("todayIn and localDateTimeIn", () => {
  const now = new Date("2026-11-28T23:30:05Z");

  it("use the site's time zone", () => {
    expect(todayIn("UTC", now)).toBe("2026-11-28");
    expect(todayIn("Europe/Berlin", now)).toBe("2026-11-29");
    expect(todayIn("America/Los_Angeles", now)).toBe("2026-11-28");
    expect(localDateTimeIn("Europe/Berlin", now)).toBe("2026-11-29T00:30:05");
    expect(localDateTimeIn("Asia/Kolkata", new Date("2026-11-28T18:30:00Z"))).toBe("2026-11-29T00:00:00");
  });

  it("fall back to UTC for an unknown zone", () => {
    expect(todayIn("Mars/Olympus", now)).toBe("2026-11-28");
  });
});

describe("day arithmetic", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
  });

  it("adds months, clamping to the month's last day", () => {
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2028-02-29", -12)).toBe("2027-02-28");
    expect(addMonths("2026-11-01", -11)).toBe("2025-12-01");
  });

  it("adds minutes to local date-times", () => {
    expect(addMinutes("2026-11-28T00:03:00", -5)).toBe("2026-11-27T23:58:00");
  });

  it("knows real days", () => {
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2026-02-30")).toBe(false);
    expect(isDay("2026-2-3")).toBe(false);
    expect(isDay("2026-02-28T00:00")).toBe(false);
  });
});

describe("rangeBounds", () => {
  const today = "2026-11-28";

  it("ends every preset today", () => {
    expect(rangeBounds("day", today)).toEqual({ from: today, to: today });
    expect(rangeBounds("7d", today)).toEqual({ from: "2026-11-22", to: today });
    expect(rangeBounds("28d", today)).toEqual({ from: "2026-11-01", to: today });
    expect(rangeBounds("30d", "2026-03-01")).toEqual({ from: "2026-01-31", to: "2026-03-01" });
    expect(rangeBounds("month", today)).toEqual({ from: "2026-11-01", to: today });
    expect(rangeBounds("6mo", today)).toEqual({ from: "2026-06-01", to: today });
    expect(rangeBounds("12mo", today)).toEqual({ from: "2025-12-01", to: today });
    expect(rangeBounds("year", today)).toEqual({ from: "2026-01-01", to: today });
  });

  it("leaves the ranges only the API can resolve open", () => {
    expect(rangeBounds("all", today)).toBeNull();
    expect(rangeBounds("24h", today)).toBeNull();
  });

  it("takes custom days as they are", () => {
    expect(rangeBounds(["2026-01-05", "2026-01-10"], today)).toEqual({ from: "2026-01-05", to: "2026-01-10" });
  });
});

describe("intervals", () => {
  const days = (from: string, to: string) => ({ from, to });

  it("picks what the API picks for `time`", () => {
    expect(defaultInterval(days("2026-11-28", "2026-11-28"))).toBe("hour");
    expect(defaultInterval(days("2026-11-22", "2026-11-28"))).toBe("day");
    expect(defaultInterval(days("2026-08-29", "2026-11-28"))).toBe("day");
    expect(defaultInterval(days("2026-06-01", "2026-11-28"))).toBe("month");
  });

  it("offers only readable intervals", () => {
    expect(intervalsFor(days("2026-11-28", "2026-11-28"))).toEqual(["hour"]);
    expect(intervalsFor(days("2026-11-22", "2026-11-28"))).toEqual(["hour", "day"]);
    expect(intervalsFor(days("2026-10-30", "2026-11-28"))).toEqual(["day", "week"]);
    expect(intervalsFor(days("2025-12-01", "2026-11-28"))).toEqual(["day", "week", "month"]);
    expect(intervalsFor(null)).toEqual(["day", "week", "month"]);
  });

  it("asks for the api's own grain when a widget's grain can't cover the range", () => {
    expect(fittingTimeDimension("time:hour", days("2026-06-01", "2026-11-28"))).toBe("time");
    expect(fittingTimeDimension("time:hour", days("2026-11-22", "2026-11-28"))).toBe("time:hour");
    expect(fittingTimeDimension("time:day", null)).toBe("time:day");
    expect(fittingTimeDimension("event:page", days("2000-01-01", "2026-11-28"))).toBe("event:page");
  });

  it("never offers an interval past the api's longest range for it", () => {
    expect(intervalsFor(days("2014-01-01", "2026-11-28"))).toEqual(["month"]);
    expect(intervalsFor(days("2017-01-01", "2026-11-28"))).toEqual(["day", "week", "month"]);
  });

  it("keeps a requested interval only when it suits the range", () => {
    expect(chooseInterval("week", days("2026-10-30", "2026-11-28"))).toBe("week");
    expect(chooseInterval("hour", days("2026-10-30", "2026-11-28"))).toBe("day");
    expect(chooseInterval(null, days("2026-11-28", "2026-11-28"))).toBe("hour");
  });
});

describe("buckets", () => {
  it("normalizes the API's labels", () => {
    expect(bucketKey("2026-11-28 13:00:00", "hour")).toBe("2026-11-28 13:00:00");
    expect(bucketKey("2026-11-28T13:00:00", "hour")).toBe("2026-11-28 13:00:00");
    expect(bucketKey("2026-11-28 00:00:00", "day")).toBe("2026-11-28");
    expect(bucketKey("2026-11-28", "month")).toBe("2026-11-28");
  });
});
