import { describe, expect, it } from "vitest";
import { type Filter, filterTree, parseFilters } from "./filters";

describe("filterTree", () => {
  it("parses the tuples once into a typed node tree: and/or/not, has_done/has_not_done and conditions", () => {
    const [filter] = parseFilters([
      [
        "and",
        [
          ["is", "event:page", ["/pricing"]],
          ["not", ["contains", "event:name", ["Sign"], { case_sensitive: false }]],
          ["has_not_done", ["matches", "event:page", ["^/blog/"]]],
        ],
      ],
    ]) as [Filter];
    expect(filterTree(filter)).toEqual({
      kind: "all",
      operator: "and",
      children: [
        { kind: "condition", dimension: "event:page", operator: "is", values: ["/pricing"], caseSensitive: true },
        { kind: "not", child: { kind: "condition", dimension: "event:name", operator: "contains", values: ["Sign"], caseSensitive: false } },
        { kind: "behaviour", operator: "has_not_done", child: { kind: "condition", dimension: "event:page", operator: "matches", values: ["^/blog/"], caseSensitive: true } },
      ],
    });
    expect(filterTree(filter)).toBe(filterTree(filter));
  });
});
