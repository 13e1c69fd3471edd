import { describe, expect, it } from "vitest";
import { csvFileName, toCsv } from "./csv";

describe("toCsv", () => {
  it("writes a header and CRLF-ended rows", () => {
    expect(toCsv(["Page", "Visitors"], [["/a,b", 3], ["/c", 0]])).toBe('Page,Visitors\r\n"/a,b",3\r\n/c,0\r\n');
  });

  it("names files safely", () => {
    expect(csvFileName("shop.example", "top", "2026-01-01", "2026-01-31")).toBe("shop.example-top-2026-01-01-2026-01-31.csv");
    expect(csvFileName("a/b c", "x")).toBe("a_b_c-x.csv");
  });
});
