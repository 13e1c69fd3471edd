import { describe, expect, it } from "vitest";
import { csvTable } from "./csv";
import { importRank, splitCsv } from "./split";

const collect = async (chunks: Iterable<string>, max: number) => {
  const parts = [];
  for await (const part of splitCsv(chunks, max)) parts.push(part);
  return parts;
};
/** Every data row of every part, with its line in the whole file. */
const rowsOf = (parts: { csv: string; firstLine: number }[]) =>
  parts.flatMap((part) => [...csvTable(part.csv).rows].map((row) => ({ ...row, line: part.firstLine + row.line - 2 })));

describe("splitCsv", () => {
  const file = 'a,b\n1,"two\nlines, and ""quotes"""\n2,x\n\n3,ü€😀\n4,"last"';

  it("cuts only between records, repeats the header, and keeps each record's line in the file", async () => {
    const whole = [...csvTable(file).rows];
    for (const max of [12, 20, 40, 1000]) {
      for (const chunk of [1, 3, 7, file.length]) {
        const chunks = Array.from({ length: Math.ceil(file.length / chunk) }, (_, i) => file.slice(i * chunk, (i + 1) * chunk));
        const parts = await collect(chunks, max);
        expect(parts.every((part) => part.csv.startsWith("a,b\n"))).toBe(true);
        expect(rowsOf(parts)).toEqual(whole);
      }
    }
  });

  it("keeps parts within the byte limit, counting UTF-8 bytes", async () => {
    const parts = await collect([file], 24);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.bytes).toBe(new TextEncoder().encode(part.csv).length);
      if (part.bytes > 24) expect([...csvTable(part.csv).rows]).toHaveLength(1);
    }
  });

  it("gives a record larger than the limit a part of its own", async () => {
    const parts = await collect([`h\n${"x".repeat(50)}\ny\n`], 20);
    expect(parts.map((part) => part.csv)).toEqual([`h\n${"x".repeat(50)}\n`, "h\ny\n"]);
  });

  it("has no part for a file with only a header", async () => {
    expect(await collect(["a,b\n\n"], 100)).toEqual([]);
  });
});

describe("importRank", () => {
  it("puts Plausible's imported_visitors first and names a header no format has", () => {
    expect(importRank("date,visitors,pageviews,bounces,visits,visit_duration\n")).toEqual({ format: "plausible:imported_visitors", rank: 0 });
    expect(importRank("nothing,here\n")).toMatchObject({ rank: 2, error: expect.stringContaining("matches no import format") });
  });
});
