import * as v from "valibot";
import { QueryError } from "./error";
import { MAX_FILTER_DEPTH, MAX_FILTERS } from "./limits";
import { FILTER_OPERATORS, type FilterDimension, type FilterOperator, isDimension, isTimeDimension, isVisitDimension } from "./vocabulary";

/** Plausible's filter options: `case_sensitive` (default true) for every operator. */
export interface FilterOptions {
  case_sensitive?: boolean;
}

export type SimpleFilter = [FilterOperator, FilterDimension, string[]];

/** A filter as the query language writes it, checked by parseFilter. */
export type Filter =
  | SimpleFilter
  | [FilterOperator, FilterDimension, string[], FilterOptions]
  | ["and" | "or", Filter[]]
  | ["not", Filter]
  | ["has_done" | "has_not_done", Filter];

/** A comparison of one dimension with values, with or without options. */
export const isComparison = (filter: Filter): filter is Extract<Filter, [FilterOperator, ...unknown[]]> =>
  (FILTER_OPERATORS as readonly string[]).includes(filter[0]);

/** A filter as the compiler reads it: the tuple parsed once into named parts (filterTree). */
export type FilterNode =
  | { kind: "all"; operator: "and" | "or"; children: FilterNode[] }
  | { kind: "not"; child: FilterNode }
  | { kind: "behaviour"; operator: "has_done" | "has_not_done"; child: FilterNode }
  | FilterCondition;
/** A comparison of one dimension with values: the leaf of a filter tree. */
export type FilterCondition = { kind: "condition"; dimension: FilterDimension; operator: FilterOperator; values: string[]; caseSensitive: boolean };

const trees = new WeakMap<Filter, FilterNode>();

/** The node tree of a filter: built once per filter (parseFilters builds it), the only reader of tuple positions. */
export function filterTree(filter: Filter): FilterNode {
  let tree = trees.get(filter);
  if (!tree) trees.set(filter, (tree = buildTree(filter)));
  return tree;
}

function buildTree(filter: Filter): FilterNode {
  switch (filter[0]) {
    case "and":
    case "or":
      return { kind: "all", operator: filter[0], children: filter[1].map(filterTree) };
    case "not":
      return { kind: "not", child: filterTree(filter[1]) };
    case "has_done":
    case "has_not_done":
      return { kind: "behaviour", operator: filter[0], child: filterTree(filter[1]) };
    default:
      return { kind: "condition", dimension: filter[1], operator: filter[0], values: filter[2], caseSensitive: filter[3]?.case_sensitive !== false };
  }
}

/** A top-level condition on `dimension`. */
const isConditionOn = (filter: Filter, dimension: FilterDimension) => {
  const tree = filterTree(filter);
  return tree.kind === "condition" && tree.dimension === dimension;
};
/** A top-level filter on goals: what conversion rates divide by is the same query without these. */
export const isGoalFilter = (filter: Filter) => isConditionOn(filter, "event:goal");
/** A top-level filter on the page: it makes page-level metrics (scroll depth, time on page) answerable without the dimension. */
export const isPageFilter = (filter: Filter) => isConditionOn(filter, "event:page");

/** What each kind of filter node becomes: the one fold every reader of a filter tree goes through. */
export interface FilterFold<T> {
  compare(condition: FilterCondition): T;
  all(children: T[], operator: "and" | "or"): T;
  not(child: T): T;
  /** Whether the visitor has (not) done an event matching `child` in the range. */
  behaviour(child: T, operator: "has_done" | "has_not_done"): T;
}

export function foldFilter<T>(filter: Filter | FilterNode, fold: FilterFold<T>): T {
  const node = Array.isArray(filter) ? filterTree(filter) : filter;
  switch (node.kind) {
    case "all":
      return fold.all(node.children.map((child) => foldFilter(child, fold)), node.operator);
    case "not":
      return fold.not(foldFilter(node.child, fold));
    case "behaviour":
      return fold.behaviour(foldFilter(node.child, fold), node.operator);
    case "condition":
      return fold.compare(node);
  }
}

/** Which kinds of dimension a filter reads: event rows or whole visits. */
export const filterKinds = (filter: Filter | FilterNode): Set<"event" | "visit"> =>
  foldFilter<Set<"event" | "visit">>(filter, {
    compare: ({ dimension }) => new Set([isVisitDimension(dimension) ? "visit" : "event"]),
    all: (children) => new Set(children.flatMap((kinds) => [...kinds])),
    not: (child) => child,
    behaviour: () => new Set(["event"]),
  });

/** The dimensions a filter names, behavioural ones included. */
export const dimensionsOf = (filter: Filter): FilterDimension[] =>
  foldFilter<FilterDimension[]>(filter, { compare: ({ dimension }) => [dimension], all: (children) => children.flat(), not: (child) => child, behaviour: (child) => child });

interface FilterScope {
  insideBehaviour: boolean;
  depth: number;
  /** Simple filters met so far in the whole query. */
  counted: { filters: number };
}

/** The filters of a query, checked: every limit, operator, dimension and regular expression. */
export function parseFilters(raw: unknown[]): Filter[] {
  const counted = { filters: 0 };
  const filters = raw.map((filter, i) => parseFilter(filter, `filters[${i}]`, { insideBehaviour: false, depth: 1, counted }));
  filters.forEach((filter, i) => {
    filterTree(filter);
    checkConjunct(filter, `filters[${i}]`);
    checkTopLevelOnly(filter, `filters[${i}]`);
  });
  return filters;
}

/** As in Plausible, goals and hostnames are filtered at the top level (or inside has_done/has_not_done) only. */
const TOP_LEVEL_ONLY: readonly FilterDimension[] = ["event:goal", "event:hostname"];

function checkTopLevelOnly(filter: Filter, path: string) {
  if (filterTree(filter).kind === "condition") return;
  const nested = foldFilter<FilterDimension[]>(filter, {
    compare: ({ dimension }) => [dimension],
    all: (children) => children.flat(),
    not: (child) => child,
    behaviour: () => [],
  }).find((dimension) => TOP_LEVEL_ONLY.includes(dimension));
  if (nested) throw new QueryError(`${path}: filter ${nested} at the top level only, not inside and/or/not`);
}

/** Plausible refuses `is` on a goal the site has not configured: almost always a typo. */
export function checkGoalsConfigured(filters: Filter[], goalNames: string[]) {
  const unknownGoals = (filter: Filter) =>
    foldFilter<string[]>(filter, {
      compare: ({ dimension, operator, values, caseSensitive: sensitive }) => {
        if (dimension !== "event:goal" || operator !== "is") return [];
        const fold = (name: string) => (sensitive ? name : name.toLowerCase());
        const known = new Set(goalNames.map(fold));
        return values.filter((value) => !known.has(fold(value)));
      },
      all: (children) => children.flat(),
      not: (child) => child,
      behaviour: (child) => child,
    });
  for (const [i, filter] of filters.entries()) {
    const [missing] = unknownGoals(filter);
    if (missing !== undefined) throw new QueryError(`filters[${i}]: the goal ${JSON.stringify(missing)} is not configured for this site`);
  }
}

function parseFilter(raw: unknown, path: string, scope: FilterScope): Filter {
  const { insideBehaviour, depth, counted } = scope;
  if (depth > MAX_FILTER_DEPTH) throw new QueryError(`${path}: filters nest at most ${MAX_FILTER_DEPTH} deep`);
  const inner = (behaviour: boolean) => ({ insideBehaviour: behaviour, depth: depth + 1, counted });
  if (!Array.isArray(raw) || typeof raw[0] !== "string") throw new QueryError(`${path}: a filter is [operator, dimension, [values]] or [and|or, [filters]] or [not|has_done|has_not_done, filter]`);
  const [operator, ...rest] = raw as [string, ...unknown[]];
  if (operator === "and" || operator === "or") {
    if (rest.length !== 1 || !Array.isArray(rest[0]) || rest[0].length < 1 || rest[0].length > 20) {
      throw new QueryError(`${path}: ${operator} takes one list of 1 to 20 filters`);
    }
    return [operator, rest[0].map((child, i) => parseFilter(child, `${path}[1][${i}]`, inner(insideBehaviour)))];
  }
  if (operator === "not" || operator === "has_done" || operator === "has_not_done") {
    if (rest.length !== 1) throw new QueryError(`${path}: ${operator} takes one filter`);
    const behavioural = operator !== "not";
    if (behavioural && insideBehaviour) throw new QueryError(`${path}: ${operator} cannot be nested in has_done or has_not_done`);
    const child = parseFilter(rest[0], `${path}[1]`, inner(insideBehaviour || behavioural));
    if (behavioural && filterKinds(child).has("visit")) throw new QueryError(`${path}: ${operator} takes event:* filters only`);
    return [operator, child];
  }
  if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
    throw new QueryError(`${path}[0]: unknown filter operator ${JSON.stringify(operator)}; use ${FILTER_OPERATORS.join(", ")}, and, or, not, has_done, has_not_done`);
  }
  if (++counted.filters > MAX_FILTERS) throw new QueryError(`${path}: a query takes at most ${MAX_FILTERS} filters, counting those inside and/or/not/has_done`);
  const [dimension, values, options] = rest;
  if (typeof dimension !== "string" || !isDimension(dimension)) throw new QueryError(`${path}[1]: unknown dimension ${JSON.stringify(dimension)}`);
  if (isTimeDimension(dimension)) throw new QueryError(`${path}[1]: filter time with date_range, not ${dimension}`);
  if (rest.length < 2 || rest.length > 3 || !Array.isArray(values) || values.length < 1 || values.length > 100) {
    throw new QueryError(`${path}[2]: give 1 to 100 values`);
  }
  for (const [i, value] of values.entries()) {
    if (typeof value !== "string" || value.length > 2048) throw new QueryError(`${path}[2][${i}]: values are strings of at most 2048 characters`);
    if (operator.startsWith("matches")) checkRegex(value, `${path}[2][${i}]`);
  }
  const filter: SimpleFilter = [operator as FilterOperator, dimension, values as string[]];
  return rest.length === 3 ? [...filter, parseFilterOptions(options, `${path}[3]`)] : filter;
}

function parseFilterOptions(raw: unknown, path: string): FilterOptions {
  const parsed = v.safeParse(v.strictObject({ case_sensitive: v.optional(v.boolean()) }), raw);
  if (!parsed.success) throw new QueryError(`${path}: filter options are {"case_sensitive": true|false}`);
  return parsed.output.case_sensitive === undefined ? {} : { case_sensitive: parsed.output.case_sensitive };
}

/** Whether a simple filter compares case-sensitively: Plausible's default, unless its options say otherwise. */
function checkRegex(pattern: string, path: string) {
  try {
    new RegExp(pattern);
  } catch {
    throw new QueryError(`${path}: not a valid regular expression`);
  }
  if (/\(\?[=!<]|\\[1-9]/.test(pattern)) throw new QueryError(`${path}: re2 has no lookaround or backreferences`);
}

function checkConjunct(filter: Filter, path: string) {
  if (filterKinds(filter).size > 1) {
    throw new QueryError(`${path}: combine event:* and visit:* filters at the top level (all filters must hold), not inside and/or/not`);
  }
}
