import { describe, expect, it } from "vitest";
import { answerOf as response } from "@pixel/test/support/dashboard";
import { formatMetric } from "../format";
import { cellText, dimensionLabel, shapeQueryResult, shapeSqlRows, tableCsv, type QueryShapeInput } from "./shape";

const input = (change: Partial<QueryShapeInput>): QueryShapeInput => ({
  kind: "number",
  metrics: ["visitors"],
  dimensions: [],
  response: response([]),
  previous: null,
  interval: "day",
  now: "2026-11-28 12:00:00",
  ...change,
});

describe("shapeQueryResult", () => {
  it("makes figures with their change against the comparison period", () => {
    const data = shapeQueryResult(
      input({ metrics: ["visitors", "bounce_rate"], response: response([{ dimensions: [], metrics: [30, 40] }]), previous: [{ dimensions: [], metrics: [10, 0] }] }),
    );
    expect(data).toEqual({
      kind: "number",
      figures: [
        { label: "Visitors", metric: "visitors", value: 30, change: 200 },
        { label: "Bounce rate", metric: "bounce_rate", value: 40, change: null },
      ],
    });
    expect(shapeQueryResult(input({})).kind === "number" && shapeQueryResult(input({}))).toMatchObject({ figures: [{ value: 0, change: null }] });
  });

  it("fills a line chart's days, zero where counts have no row and nothing after now", () => {
    const data = shapeQueryResult(
      input({
        kind: "line",
        response: response([{ dimensions: ["2026-11-27"], metrics: [4] }], { time_labels: ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"] }),
      }),
    );
    expect(data).toMatchObject({ kind: "line", metric: "visitors", interval: "day" });
    expect(data.kind === "line" && data.series).toEqual({ keys: ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"], current: [0, 4, 0, null], previous: null });
  });

  it("gives bar lists and maps their rows and column name", () => {
    const rows = response([
      { dimensions: ["DE"], metrics: [3] },
      { dimensions: ["FR"], metrics: [1] },
    ]);
    expect(shapeQueryResult(input({ kind: "map", dimensions: ["visit:country"], response: rows }))).toEqual({
      kind: "map",
      dimension: "visit:country",
      column: "Country",
      metrics: ["visitors"],
      rows: [
        { value: "DE", metrics: [3] },
        { value: "FR", metrics: [1] },
      ],
    });
  });

  it("lays a table out as dimension columns then metric columns, readable on screen and raw in CSV", () => {
    const data = shapeQueryResult(
      input({
        kind: "table",
        metrics: ["visitors", "visit_duration"],
        dimensions: ["visit:country", "visit:browser"],
        response: response([{ dimensions: ["DE", ""], metrics: [12_345, 125] }]),
      }),
    );
    if (data.kind !== "table") throw new Error(data.kind);
    expect(data.columns.map((column) => column.label)).toEqual(["Country", "Browser", "Visitors", "Visit duration"]);
    expect(data.rows).toEqual([["DE", "", 12_345, 125]]);
    expect(data.columns.map((column, i) => cellText(column, data.rows[0]![i]!, formatMetric))).toEqual(["Germany", "(not set)", "12.3K", "2m 05s"]);
    expect(tableCsv(data)).toEqual({ header: ["Country", "Browser", "Visitors", "Visit duration"], rows: [["DE", "", 12_345, 125]] });
  });
});

describe("shapeSqlRows", () => {
  it("shows every column of a SQL answer as a table", () => {
    const data = shapeSqlRows("table", [
      { day: "2026-11-27", visitors: 3, tags: ["a"] },
      { day: "2026-11-28", visitors: 1, tags: null },
    ]);
    expect(data).toEqual({
      kind: "table",
      columns: [{ label: "day" }, { label: "visitors" }, { label: "tags" }],
      rows: [
        ["2026-11-27", 3, '["a"]'],
        ["2026-11-28", 1, ""],
      ],
    });
    expect(shapeSqlRows("table", [])).toEqual({ kind: "table", columns: [], rows: [] });
  });

  it("takes a number widget's figure from the first numeric column, UInt64 strings included", () => {
    expect(shapeSqlRows("number", [{ name: "x", hits: "12" }])).toEqual({ kind: "number", figures: [{ label: "hits", value: 12, metric: null, change: null }] });
    expect(shapeSqlRows("number", [])).toEqual({ kind: "number", figures: [] });
  });
});

describe("dimensionLabel", () => {
  it("uses the overview's names, else the dimension's words", () => {
    expect(dimensionLabel("event:page")).toBe("Page");
    expect(dimensionLabel("visit:utm_term")).toMatch(/term/i);
    expect(dimensionLabel("event:props:plan")).toBe("Plan");
  });
});
