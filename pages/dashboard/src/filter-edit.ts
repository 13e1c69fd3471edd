import { MAX_PROP_KEY, PROPS_PREFIX } from "@pixel/lib/stats/vocabulary";
import { FILTER_DIMENSIONS, FILTER_OPERATORS, type FilterDimension, type FilterOperator, type SimpleFilter } from "./api/types";
import { tabForDimension } from "./breakdowns";
import { decodeFilter, encodeFilter } from "./view";


export const OPERATOR_NAMES: Record<FilterOperator, string> = {
  is: "is",
  is_not: "is not",
  contains: "contains",
  contains_not: "does not contain",
  matches: "matches (regex)",
  matches_not: "does not match (regex)",
};

/** What the editor's form holds: the dimension as picked, plus a property key for `event:props:<key>`. */
export interface FilterDraft {
  dimension: FilterDimension | "props";
  propKey: string;
  operator: FilterOperator;
  values: string[];
}

/** A readable name for every filterable dimension: the card column where there is one. */
export function dimensionName(dimension: string): string {
  if (dimension.startsWith(PROPS_PREFIX)) return `Property ${dimension.slice(PROPS_PREFIX.length)}`;
  const column = tabForDimension(dimension)?.column;
  if (column) return column;
  const name = dimension.replace(/^(event|visit):/, "").replaceAll("_", " ");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export const DIMENSION_CHOICES: readonly { value: FilterDimension | "props"; label: string }[] = [
  ...FILTER_DIMENSIONS.map((dimension) => ({ value: dimension, label: `${dimensionName(dimension)} (${dimension})` })),
  { value: "props", label: "Custom event property (event:props:…)" },
];

export function draftOf(filter: SimpleFilter | null): FilterDraft {
  if (!filter) return { dimension: "event:page", propKey: "", operator: "is", values: [""] };
  const [operator, dimension, values] = filter;
  const isProp = dimension.startsWith(PROPS_PREFIX);
  return {
    dimension: isProp ? "props" : dimension,
    propKey: isProp ? dimension.slice(PROPS_PREFIX.length) : "",
    operator,
    values: values.length ? [...values] : [""],
  };
}

export function draftDimension(draft: FilterDraft): FilterDimension {
  return draft.dimension === "props" ? `${PROPS_PREFIX}${draft.propKey.trim()}` : draft.dimension;
}

function regexProblem(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : "not a regular expression";
  }
}

/** The filter a draft stands for, or what to fix first (naming the field). */
export function readDraft(draft: FilterDraft): { filter: SimpleFilter } | { field: "propKey" | "values"; error: string } {
  if (!(FILTER_OPERATORS as readonly string[]).includes(draft.operator)) return { field: "values", error: "Pick an operator." };
  if (draft.dimension === "props") {
    const key = draft.propKey.trim();
    if (!key) return { field: "propKey", error: "Name the property, e.g. plan." };
    if (key.length > MAX_PROP_KEY) return { field: "propKey", error: `A property name has at most ${MAX_PROP_KEY} characters.` };
  }
  const values = [...new Set(draft.values.map((value) => value.trim()).filter((value) => value !== ""))];
  if (!values.length) return { field: "values", error: "Enter at least one value." };
  if (draft.operator.startsWith("matches")) {
    for (const value of values) {
      const problem = regexProblem(value);
      if (problem) return { field: "values", error: `“${value}” is not a valid regular expression: ${problem}.` };
    }
  }
  const filter: SimpleFilter = [draft.operator, draftDimension(draft), values];
  // Whatever the URL would refuse, the editor refuses first.
  if (!decodeFilter(encodeFilter(filter))) return { field: "values", error: "These values are too long or too many." };
  return { filter };
}
