import { describe, expect, it } from "vitest";
import type { SimpleFilter } from "./api/types";
import { DIMENSION_CHOICES, dimensionName, draftOf, readDraft } from "./filter-edit";
import { replaceFilter } from "./view";
import { FILTER_DIMENSIONS } from "./api/types";

describe("the filter editor's drafts", () => {
  it("offer every filterable dimension and custom properties", () => {
    expect(DIMENSION_CHOICES.map((choice) => choice.value)).toEqual([...FILTER_DIMENSIONS, "props"]);
    expect(dimensionName("visit:country")).toBe("Country");
    expect(dimensionName("visit:os_version")).toBe("Os version");
    expect(dimensionName("event:props:plan")).toBe("Property plan");
  });

  it("round-trip a filter, custom properties included", () => {
    const filters: SimpleFilter[] = [
      ["contains", "event:page", ["/blog", "/docs"]],
      ["matches_not", "event:props:plan tier", ["^pro"]],
    ];
    for (const filter of filters) expect(readDraft(draftOf(filter))).toEqual({ filter });
    expect(draftOf(filters[1]!)).toMatchObject({ dimension: "props", propKey: "plan tier" });
  });

  it("trim values, drop blanks and repeats", () => {
    const draft = { ...draftOf(null), operator: "is" as const, values: [" /a ", "", "/a", "/b"] };
    expect(readDraft(draft)).toEqual({ filter: ["is", "event:page", ["/a", "/b"]] });
  });

  it("say what to fix", () => {
    expect(readDraft({ ...draftOf(null), values: ["  "] })).toMatchObject({ field: "values", error: expect.stringContaining("at least one") });
    expect(readDraft({ ...draftOf(null), dimension: "props", propKey: " ", values: ["x"] })).toMatchObject({ field: "propKey" });
    const bad = readDraft({ ...draftOf(null), operator: "matches", values: ["^/ok$", "(unclosed"] });
    expect(bad).toMatchObject({ field: "values", error: expect.stringContaining("“(unclosed” is not a valid regular expression") });
    // The same pattern is fine for contains, which matches literally.
    expect(readDraft({ ...draftOf(null), operator: "contains", values: ["(unclosed"] })).toEqual({ filter: ["contains", "event:page", ["(unclosed"]] });
    expect(readDraft({ ...draftOf(null), values: ["x".repeat(3000)] })).toMatchObject({ field: "values" });
  });
});

describe("replacing a filter", () => {
  const a: SimpleFilter = ["is", "visit:country", ["DE"]];
  const b: SimpleFilter = ["contains", "event:page", ["/blog"]];
  const c: SimpleFilter = ["is_not", "visit:browser", ["Safari"]];

  it("keeps the edited filter's place", () => {
    expect(replaceFilter([a, b, c], b, ["contains", "event:page", ["/docs"]])).toEqual([a, ["contains", "event:page", ["/docs"]], c]);
  });

  it("appends a new one, and never keeps two copies", () => {
    expect(replaceFilter([a], null, b)).toEqual([a, b]);
    expect(replaceFilter([a, b], null, b)).toEqual([a, b]);
    expect(replaceFilter([a, b, c], a, c)).toEqual([c, b]);
  });
});
