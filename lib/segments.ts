/** Saved segments (docs/api.md, "Saved segments"): their shape, limits and Plausible's filter form, for the api and the dashboard. */
import { QueryError } from "./stats/error";
import { MAX_FILTER_DEPTH } from "./stats/limits";

export const SEGMENT_VISIBILITIES = ["private", "shared"] as const;
export type SegmentVisibility = (typeof SEGMENT_VISIBILITIES)[number];

export interface Segment {
  id: number;
  name: string;
  visibility: SegmentVisibility;
  filters: unknown[];
}

export const MAX_SEGMENT_NAME_LENGTH = 100;
/** Per site: a filter bar's menu, not a database. */
export const MAX_SEGMENTS = 500;

/** `["is", "segment", [id]]`, as Plausible writes a segment filter. */
export const isSegmentFilter = (filter: unknown): filter is ["is", "segment", unknown[]] =>
  Array.isArray(filter) && filter[1] === "segment";

/** The filter that applies a saved segment in a query. */
export const segmentFilter = (id: number) => ["is", "segment", [String(id)]] as const;

/**
 * Whether a segment filter hides anywhere in a filter tree, where only the top level may hold one. It looks no deeper
 * than a valid filter nests (each level is a filter and its list of children): parseFilters refuses deeper ones, and
 * an unbounded walk would let a 5,000-deep filter overflow the stack before that.
 */
const containsSegment = (node: unknown, arrays = 0): boolean =>
  Array.isArray(node) && arrays <= 2 * MAX_FILTER_DEPTH && (node[1] === "segment" || node.some((child) => containsSegment(child, arrays + 1)));

/** The segment ids a query's top-level filters name; nested or malformed segment filters are refused, as Plausible does. */
export function segmentIdsOf(filters: unknown[]): number[] {
  return filters.flatMap((filter, i) => {
    if (!isSegmentFilter(filter)) {
      if (containsSegment(filter)) throw new QueryError(`filters[${i}]: a segment filter goes at the top level only`);
      return [];
    }
    const [operator, , values] = filter;
    const id = Array.isArray(values) && values.length === 1 ? Number(values[0]) : NaN;
    if (operator !== "is" || filter.length !== 3 || !Number.isSafeInteger(id)) {
      throw new QueryError(`filters[${i}]: a segment filter is ["is", "segment", [id]] with one segment id`);
    }
    return [id];
  });
}

/** The filters with each segment filter replaced by its segment's own filters, which all apply (and). */
export const expandSegments = (filters: unknown[], segmentFilters: Map<number, unknown[]>): unknown[] =>
  filters.flatMap((filter) => (isSegmentFilter(filter) ? segmentFilters.get(Number(filter[2][0]))! : [filter]));

/** A segment's own filters may not name a segment: segments don't nest. */
export function checkNoNestedSegments(filters: unknown[]) {
  const i = filters.findIndex(containsSegment);
  if (i >= 0) throw new QueryError(`filters[${i}]: a segment can't contain a segment filter`);
}
