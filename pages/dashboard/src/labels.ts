import type { FilterDimension, FilterOperator } from "./api/types";
import { tabForDimension } from "./breakdowns";

/** The flag emoji of an ISO 3166-1 alpha-2 code; empty for anything else. */
export function flagOf(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return "";
  return String.fromCodePoint(...[...code.toUpperCase()].map((char) => 0x1f1e6 + char.charCodeAt(0) - 65));
}

let regionNames: Intl.DisplayNames | null | undefined;

export function countryName(code: string, locale?: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    regionNames ??= new Intl.DisplayNames(locale, { type: "region" });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    regionNames = null;
    return code;
  }
}

export const NOT_SET = "(not set)";

/** How a dimension's value reads in a list or a chip. */
export function displayValue(dimension: string, value: string): string {
  if (value === "") return NOT_SET;
  if (dimension === "visit:country") return countryName(value);
  return value;
}

export const OPERATOR_LABELS: Record<FilterOperator, string> = {
  is: "is",
  is_not: "is not",
  contains: "contains",
  contains_not: "doesn't contain",
  matches: "matches",
  matches_not: "doesn't match",
};

/** "Page is /pricing", "Country is Germany or France". */
export function filterLabel(operator: FilterOperator, dimension: FilterDimension, values: string[]): string {
  const name = tabForDimension(dimension)?.column ?? dimension.replace(/^(event|visit):(props:)?/, "").replaceAll("_", " ");
  return `${name} ${OPERATOR_LABELS[operator]} ${values.map((value) => displayValue(dimension, value)).join(" or ")}`;
}
