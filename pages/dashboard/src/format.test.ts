import { describe, expect, it } from "vitest";
import { formatDay, formatNumber, fullNumber } from "./format";

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

describe("formatDay", () => {
  it("formats a calendar day without shifting it by the local time zone", () => {
    expect(formatDay("2026-11-28", "en-US")).toBe("Nov 28");
    expect(formatDay("2026-01-01", "en-US", true)).toBe("Thu, Jan 1, 2026");
  });

  it("leaves what isn't a day alone", () => {
    expect(formatDay("soon", "en-US")).toBe("soon");
  });
});
