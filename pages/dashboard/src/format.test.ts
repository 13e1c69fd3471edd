import { describe, expect, it } from "vitest";
import {
  changePercent,
  formatBucket,
  formatChange,
  formatDuration,
  formatMetric,
  formatNumber,
  formatPercent,
  fullNumber,
  isImprovement,
} from "./format";

describe("formatNumber", () => {
  it("groups digits below ten thousand", () => {
    expect(formatNumber(0, "en-US")).toBe("0");
    expect(formatNumber(7, "en-US")).toBe("7");
    expect(formatNumber(1234, "en-US")).toBe("1,234");
    expect(formatNumber(9999, "en-US")).toBe("9,999");
  });

  it("is compact from ten thousand on", () => {
    expect(formatNumber(10_000, "en-US")).toBe("10K");
    expect(formatNumber(12_345, "en-US")).toBe("12.3K");
    expect(formatNumber(1_250_000, "en-US")).toBe("1.3M");
  });

  it("follows the locale", () => {
    expect(formatNumber(1234, "de-DE")).toBe("1.234");
  });

  it("gives the full number only when shortened", () => {
    expect(fullNumber(999, "en-US")).toBeUndefined();
    expect(fullNumber(12_345, "en-US")).toBe("12,345");
  });
});

describe("formatDuration", () => {
  it("reads as seconds, minutes or hours", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(44.6)).toBe("45s");
    expect(formatDuration(125)).toBe("2m 05s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatDuration(-3)).toBe("0s");
  });
});

describe("formatPercent and formatMetric", () => {
  it("keeps one decimal for small fractional percentages only", () => {
    expect(formatPercent(42, "en-US")).toBe("42%");
    expect(formatPercent(42.4, "en-US")).toBe("42%");
    expect(formatPercent(4.56, "en-US")).toBe("4.6%");
    expect(formatPercent(0, "en-US")).toBe("0%");
  });

  it("formats each metric by its kind", () => {
    expect(formatMetric("visitors", 12_345, "en-US")).toBe("12.3K");
    expect(formatMetric("total_revenue", 1234.5, "en-US", "EUR")).toBe("€1,234.50");
    expect(formatMetric("average_revenue", 1234.5, "en-US", "JPY")).toBe("¥1,235");
    expect(formatMetric("total_revenue", 0, "en-US")).toBe("—"); // a goal without a currency
    expect(formatMetric("views_per_visit", 1.256, "en-US")).toBe("1.26");
    expect(formatMetric("bounce_rate", 37.5, "en-US")).toBe("38%");
    expect(formatMetric("visit_duration", 61, "en-US")).toBe("1m 01s");
    expect(formatMetric("conversion_rate", 2.25, "en-US")).toBe("2.3%");
  });
});

describe("changes", () => {
  it("are percentages of the previous value, null without one", () => {
    expect(changePercent(150, 100)).toBe(50);
    expect(changePercent(50, 100)).toBe(-50);
    expect(changePercent(1, 3)).toBe(-67);
    expect(changePercent(5, 0)).toBeNull();
    expect(changePercent(0, 0)).toBeNull();
  });

  it("read with an arrow", () => {
    expect(formatChange(12)).toBe("↑12%");
    expect(formatChange(-3)).toBe("↓3%");
    expect(formatChange(0)).toBe("0%");
  });

  it("are good news when up, except for bounces", () => {
    expect(isImprovement("visitors", 10)).toBe(true);
    expect(isImprovement("bounce_rate", 10)).toBe(false);
    expect(isImprovement("bounce_rate", -10)).toBe(true);
  });
});

describe("formatBucket", () => {
  it("labels buckets by their interval", () => {
    expect(formatBucket("2026-11-28 13:00:00", "hour", "en-US")).toBe("1:00 PM");
    expect(formatBucket("2026-11-28", "day", "en-US")).toBe("Nov 28");
    expect(formatBucket("2026-11-23", "week", "en-US", true)).toBe("Week of Mon, Nov 23, 2026");
    expect(formatBucket("2026-11-01", "month", "en-US")).toBe("Nov 2026");
    expect(formatBucket("soon", "day", "en-US")).toBe("soon");
  });
});
