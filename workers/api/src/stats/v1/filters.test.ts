import { describe, expect, it } from "vitest";
import { QueryError } from "@pixel/lib/stats/error";
import { parseV1Filters, wildcardPattern } from "./filters";

describe("Plausible's v1 filter syntax", () => {
  it("reads ;-joined expressions with == and != and |-separated values, as v2 filters", () => {
    expect(parseV1Filters("event:page==/blog;visit:country==DE|FR;visit:browser!=Firefox")).toEqual([
      ["is", "event:page", ["/blog"]],
      ["is", "visit:country", ["DE", "FR"]],
      ["is_not", "visit:browser", ["Firefox"]],
    ]);
  });

  it("reads ~ as contains, event:props:<key> and event:goal, and \\| as a literal bar", () => {
    expect(parseV1Filters("event:page~blog|docs;event:props:author==John Doe;event:goal==Visit /register")).toEqual([
      ["contains", "event:page", ["blog", "docs"]],
      ["is", "event:props:author", ["John Doe"]],
      ["is", "event:goal", ["Visit /register"]],
    ]);
    expect(parseV1Filters("event:props:size==S\\|M|L")).toEqual([["is", "event:props:size", ["S|M", "L"]]]);
  });

  it("turns * and ** wildcards into anchored re2 patterns, with the rest literal", () => {
    expect(parseV1Filters("event:page==/blog/**;event:page!=/a/*/b.html")).toEqual([
      ["matches", "event:page", ["^/blog/.*$"]],
      ["matches_not", "event:page", ["^/a/[^/]*/b\\.html$"]],
    ]);
    expect(wildcardPattern("/(x)+?*")).toBe("^/\\(x\\)\\+\\?[^/]*$");
    expect(new RegExp(wildcardPattern("/blog/*")).test("/blog/post")).toBe(true);
    expect(new RegExp(wildcardPattern("/blog/*")).test("/blog/2024/post")).toBe(false);
  });

  it("reads an empty string as no filters and refuses what is not an expression, naming it", () => {
    expect(parseV1Filters("")).toEqual([]);
    for (const [text, message] of [
      ["page==/blog", /expression 1 \("page==\/blog"\) is not dimension==value/],
      ["event:page==/a;visit:country", /expression 2/],
      ["visit:country==DE|", /expression 1 .* has an empty value/],
      ["event:page>=/a", /is not dimension==value/],
    ] as const) {
      expect(() => parseV1Filters(text)).toThrow(QueryError);
      expect(() => parseV1Filters(text)).toThrow(message);
    }
  });
});
