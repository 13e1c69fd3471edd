import { describe, expect, it } from "vitest";
import type { Widget } from "./api";
import { composeQuery, newBuilderState, problems, splitValues, stateFromWidget, withKind, type BuilderState } from "./builder";

const state = (change: Partial<BuilderState>): BuilderState => ({ ...newBuilderState(), title: "T", ...change });

describe("composeQuery", () => {
  it("gives a number widget its metrics and filters, nothing else", () => {
    const query = composeQuery(
      state({ metrics: ["visitors", "pageviews"], filters: [{ operator: "is", dimension: "visit:country", values: "DE, FR ," }] }),
    );
    expect(query).toEqual({ metrics: ["visitors", "pageviews"], filters: [["is", "visit:country", ["DE", "FR"]]] });
  });

  it("orders a bar list by its first metric and keeps its row limit", () => {
    const query = composeQuery(state({ kind: "bar", metrics: ["pageviews", "visitors"], dimensions: ["event:page"], limit: 5 }));
    expect(query).toEqual({
      metrics: ["pageviews", "visitors"],
      dimensions: ["event:page"],
      order_by: [
        ["pageviews", "desc"],
        ["event:page", "asc"],
      ],
      pagination: { limit: 5, offset: 0 },
    });
  });

  it("breaks a line chart down by time at the chosen grain, or lets the API choose", () => {
    expect(composeQuery(state({ kind: "line", interval: "week" })).dimensions).toEqual(["time:week"]);
    expect(composeQuery(state({ kind: "line", interval: "auto" })).dimensions).toEqual(["time"]);
  });

  it("leaves out filters that have no values yet", () => {
    expect(composeQuery(state({ filters: [{ operator: "contains", dimension: "event:page", values: " , " }] })).filters).toBeUndefined();
  });

  it("round-trips through a saved widget", () => {
    const edited = state({
      kind: "table",
      width: 4,
      metrics: ["visitors", "bounce_rate"],
      dimensions: ["visit:browser", "visit:os"],
      filters: [{ operator: "is_not", dimension: "event:page", values: "/a, /b" }],
      limit: 25,
    });
    const widget: Widget = { id: "w", position: 0, title: "T", kind: "table", width: 4, query: composeQuery(edited), sql: null };
    expect(stateFromWidget(widget)).toEqual(edited);
    // As the API saves a number widget: its defaults filled in.
    const saved = { metrics: ["visitors" as const], dimensions: [], filters: [], pagination: { limit: 10_000, offset: 0 } };
    expect(stateFromWidget({ ...widget, kind: "number", width: 2, query: saved })).toEqual(state({ kind: "number", width: 2 }));
    const line = state({ kind: "line", interval: "day" });
    expect(stateFromWidget({ ...widget, kind: "line", query: composeQuery(line) })).toMatchObject({ kind: "line", interval: "day", dimensions: [] });
  });
});

describe("withKind", () => {
  it("gives each chart kind the dimensions it needs", () => {
    expect(withKind(state({}), "map").dimensions).toEqual(["visit:country"]);
    expect(withKind(state({}), "bar").dimensions).toEqual(["event:page"]);
    expect(withKind(state({ kind: "table", dimensions: ["visit:os", "visit:browser"] }), "bar").dimensions).toEqual(["visit:os"]);
    expect(withKind(state({ kind: "bar", dimensions: ["visit:os"] }), "number").dimensions).toEqual([]);
    expect(withKind(state({ metrics: ["visitors", "visits"] }), "line").metrics).toEqual(["visitors"]);
  });
});

describe("problems", () => {
  const messages = (change: Partial<BuilderState>) => problems(state(change)).map((problem) => problem.message);

  it("has none for a complete widget", () => {
    expect(messages({ kind: "bar", dimensions: ["event:page"] })).toEqual([]);
  });

  it("says what is missing or wrong, in words", () => {
    expect(messages({ title: "  ", metrics: [] })).toEqual(["Give the widget a title.", "Pick at least one metric."]);
    expect(messages({ kind: "line", metrics: ["visitors", "visits"] })).toEqual(["A line chart draws one metric; keep just one."]);
    expect(messages({ kind: "table", dimensions: [] })).toEqual(["Pick what to break down by."]);
    expect(messages({ kind: "table", dimensions: ["visit:os", "visit:os"] })).toEqual(["Pick each dimension once."]);
    expect(messages({ width: 7 })).toEqual(["The width is 1 to 6 columns."]);
    expect(messages({ kind: "bar", dimensions: ["event:page"], limit: 0 })).toEqual(["Show 1 to 100 rows."]);
    expect(
      messages({
        filters: [
          { operator: "is", dimension: "event:page", values: "" },
          { operator: "matches", dimension: "event:page", values: "^/blog/(" },
        ],
      }),
    ).toEqual(["Filter 1 needs at least one value.", "Filter 2: “^/blog/(” is not a valid pattern."]);
  });

  it("splits values at commas and drops blanks", () => {
    expect(splitValues(" /a ,, /b,")).toEqual(["/a", "/b"]);
  });
});
