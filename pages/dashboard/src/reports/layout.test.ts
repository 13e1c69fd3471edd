import { describe, expect, it } from "vitest";
import { placeWidgets, spans, stepTo } from "./layout";

describe("the report grid", () => {
  it("spans a widget's width on the wide grid, and wide widgets take a whole medium row", () => {
    expect(spans(2)).toEqual({ wide: 2, medium: 1 });
    expect(spans(3)).toEqual({ wide: 3, medium: 1 });
    expect(spans(4)).toEqual({ wide: 4, medium: 2 });
    expect(spans(9)).toEqual({ wide: 6, medium: 2 });
    expect(spans(0)).toEqual({ wide: 1, medium: 1 });
  });

  it("wraps to a new row when a widget doesn't fit", () => {
    expect(placeWidgets([2, 2, 3, 6], 6)).toEqual([
      { row: 0, column: 0, span: 2 },
      { row: 0, column: 2, span: 2 },
      { row: 1, column: 0, span: 3 },
      { row: 2, column: 0, span: 6 },
    ]);
    expect(placeWidgets([2, 4, 1], 2).map((place) => [place.row, place.column, place.span])).toEqual([
      [0, 0, 1],
      [1, 0, 2],
      [2, 0, 1],
    ]);
    expect(placeWidgets([6, 2], 1).map((place) => place.row)).toEqual([0, 1]);
  });

  it("moves a widget one step, not past either end", () => {
    expect(stepTo(0, -1, 3)).toBeNull();
    expect(stepTo(0, 1, 3)).toBe(1);
    expect(stepTo(2, 1, 3)).toBeNull();
    expect(stepTo(2, -1, 3)).toBe(1);
  });
});
