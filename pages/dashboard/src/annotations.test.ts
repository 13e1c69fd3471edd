import { describe, expect, it } from "vitest";
import { annotationMarks } from "./annotations";

const note = (date: string, text: string) => ({ id: text, date, text });

describe("annotationMarks", () => {
  it("puts each note on its day, joins notes of one day, and drops those outside the range", () => {
    const keys = ["2026-03-01", "2026-03-02", "2026-03-03"];
    const notes = [note("2026-02-28", "before"), note("2026-03-02", "pricing v2"), note("2026-03-02", "ads on"), note("2026-03-04", "after")];
    expect(annotationMarks(notes, keys, "day", ["2026-03-01", "2026-03-03"])).toEqual([{ index: 1, text: "pricing v2\nads on" }]);
  });

  it("puts a note in the week or month its day falls in, and at midnight on an hourly chart", () => {
    const weeks = ["2026-03-02", "2026-03-09", "2026-03-16"];
    expect(annotationMarks([note("2026-03-12", "x")], weeks, "week", ["2026-03-02", "2026-03-22"])).toEqual([{ index: 1, text: "x" }]);
    const hours = ["2026-03-09 22:00:00", "2026-03-09 23:00:00", "2026-03-10 00:00:00", "2026-03-10 01:00:00"];
    expect(annotationMarks([note("2026-03-10", "x")], hours, "hour", ["2026-03-09T22:00:00", "2026-03-10T01:59:59"])).toEqual([{ index: 2, text: "x" }]);
  });
});
