import { describe, expect, it } from "vitest";
import { describeLineError, fieldError, formatLines, parseLines } from "./lines";

describe("parseLines", () => {
  it("trims, drops blank lines and repeats, and keeps the order", () => {
    expect(parseLines("  10.0.0.0/8 \r\n\n203.0.113.7\n10.0.0.0/8\n   \n")).toEqual(["10.0.0.0/8", "203.0.113.7"]);
    expect(parseLines("")).toEqual([]);
  });

  it("round-trips with formatLines", () => {
    const entries = ["/admin/*", "/preview"];
    expect(parseLines(formatLines(entries))).toEqual(entries);
  });
});

describe("fieldError", () => {
  it("splits a list entry's index off the field path", () => {
    expect(fieldError("shields.ipRanges.2: is not an IP address or CIDR range (like 203.0.113.0/24)")).toEqual({
      field: "shields.ipRanges",
      index: 2,
      message: "is not an IP address or CIDR range (like 203.0.113.0/24)",
    });
  });

  it("names plain fields and ignores messages without a field", () => {
    expect(fieldError("timezone: is not an IANA time zone")).toEqual({ field: "timezone", message: "is not an IANA time zone" });
    expect(fieldError("you are a viewer of this site; this needs a site admin")).toBeNull();
  });
});

describe("describeLineError", () => {
  it("points at the line (1-based) and quotes it", () => {
    const error = fieldError("shields.countries.1: is not a two-letter country code")!;
    expect(describeLineError(error, ["DE", "Germany"])).toBe(
      "Line 2 (Germany) is not a two-letter country code. Fix or remove that line and save again.",
    );
  });

  it("passes a whole-field message through", () => {
    expect(describeLineError({ field: "shields.paths", message: "paths start with /" }, [])).toBe("Paths start with /");
  });
});
