import { describe, expect, it } from "vitest";
import { csvRecords, csvTable } from "./csv";

describe("csvRecords", () => {
  it("reads quoted commas, doubled quotes, newlines inside quotes, CRLF and a BOM, with each record's line", () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\nlast,1';
    expect([...csvRecords(text)]).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["x, y", 'say "hi"'] },
      { line: 3, cells: ["two\nlines", "z"] },
      { line: 6, cells: ["last", "1"] },
    ]);
  });

  it("reports an unterminated quote instead of throwing", () => {
    expect([...csvRecords('a\n"open,1\n2')]).toEqual([{ line: 1, cells: ["a"] }, { line: 2, cells: [], error: "a quoted cell is never closed" }]);
  });
});

describe("csvTable", () => {
  it("keys cells by the lower-cased header and reports short rows and stray quotes by line", () => {
    const table = csvTable('Date,Visitors\n2024-01-01,3\n2024-01-02\n"2024-01-03"x,4\n');
    expect(table.header).toEqual(["date", "visitors"]);
    expect([...table.rows]).toEqual([
      { line: 2, values: { date: "2024-01-01", visitors: "3" } },
      { line: 3, error: "1 cells where the header has 2" },
      { line: 4, error: "text after a closing quote" },
    ]);
  });
});
