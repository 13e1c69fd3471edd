import {
  type ComparisonMode,
  type DateRange,
  type DateRangeKey,
  FILTER_DIMENSIONS,
  FILTER_OPERATORS,
  type FilterDimension,
  type FilterOperator,
  type Interval,
  type Metric,
  RANGE_KEYS,
  type SimpleFilter,
} from "./api/types";
import { CARDS, findTab } from "./breakdowns";
import { MAX_PROP_KEY, PROPS_PREFIX } from "@pixel/lib/stats/vocabulary";
import { INTERVALS, isDay } from "./dates";

/** The six headline numbers; each can drive the chart. */
export const TOP_METRICS = ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"] as const;
export type TopMetric = (typeof TOP_METRICS)[number];

export interface Details {
  tab: string;
  search: string;
  sort: { by: Metric; dir: "asc" | "desc" } | null;
  page: number;
}

/** Everything about what the site page shows; it all lives in the URL. */
export interface View {
  range: DateRange;
  compare: ComparisonMode | null;
  filters: SimpleFilter[];
  /** A saved segment's id; its filters apply besides `filters`. */
  segment: number | null;
  metric: TopMetric;
  interval: Interval | null;
  /** Card id → tab id, for cards not on their first tab. */
  tabs: Record<string, string>;
  details: Details | null;
  /** The custom property key the properties card shows; null: the one most visitors' events carry. */
  property: string | null;
  /** The page whose scroll depth distribution is open. */
  scroll: string | null;
}

export const DEFAULT_RANGE: DateRangeKey = "7d";
export const MAX_FILTERS = 20;
const MAX_VALUES = 100;
const MAX_VALUE_LENGTH = 2048;
const MAX_SEARCH = 200;
const MAX_PAGE = 10_000;

export const DEFAULT_VIEW: View = {
  range: DEFAULT_RANGE,
  compare: null,
  filters: [],
  segment: null,
  metric: "visitors",
  interval: null,
  tabs: {},
  details: null,
  property: null,
  scroll: null,
};

const COMPARE_PARAM: Record<ComparisonMode, string> = { previous_period: "previous", year_over_year: "year" };

/** A report's comparison in its URL: reports open compared with the previous period; `compare=off` turns it off. */
export function reportCompareFrom(search: string): ComparisonMode | null {
  const value = new URLSearchParams(search).get("compare");
  if (value === "off") return null;
  return (Object.entries(COMPARE_PARAM).find(([, param]) => param === value)?.[0] as ComparisonMode | undefined) ?? "previous_period";
}

export function reportCompareSearch(mode: ComparisonMode | null): string {
  if (mode === "previous_period") return "";
  return `?compare=${mode ? COMPARE_PARAM[mode] : "off"}`;
}

export function isFilterDimension(value: string): value is FilterDimension {
  if (value.startsWith(PROPS_PREFIX)) return value.length > PROPS_PREFIX.length && value.length <= PROPS_PREFIX.length + MAX_PROP_KEY;
  return (FILTER_DIMENSIONS as readonly string[]).includes(value);
}

const escapePart = (part: string) => part.replaceAll("\\", "\\\\").replaceAll(",", "\\,");

/** `is,event:page,/pricing`: operator, dimension, values, with `\` escaping commas inside any of them. */
export function encodeFilter([operator, dimension, values]: SimpleFilter): string {
  return [operator, dimension, ...values].map(escapePart).join(",");
}

function splitParts(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\\" && i + 1 < text.length) current += text[++i];
    else if (char === ",") {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** A filter from the URL, or null for anything the API would refuse. */
export function decodeFilter(text: string): SimpleFilter | null {
  const [operator = "", dimension = "", ...values] = splitParts(text);
  if (!(FILTER_OPERATORS as readonly string[]).includes(operator) || !isFilterDimension(dimension)) return null;
  if (values.length < 1 || values.length > MAX_VALUES) return null;
  if (values.some((value) => value.length > MAX_VALUE_LENGTH)) return null;
  if (operator.startsWith("matches") && values.some((value) => !isRegex(value))) return null;
  return [operator as FilterOperator, dimension, values];
}

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const sameFilter = (a: SimpleFilter, b: SimpleFilter) => encodeFilter(a) === encodeFilter(b);

/** Adds a filter; an `is` filter replaces the other `is` filters on its dimension, which could only match nothing together. */
export function withFilter(filters: SimpleFilter[], filter: SimpleFilter): SimpleFilter[] {
  const kept = filters.filter(
    ([operator, dimension]) => !(dimension === filter[1] && (operator === filter[0] || (operator === "is" && filter[0] === "is"))),
  );
  return [...kept, filter].slice(-MAX_FILTERS);
}

export function withoutFilter(filters: SimpleFilter[], filter: SimpleFilter): SimpleFilter[] {
  return filters.filter((other) => !sameFilter(other, filter));
}

/** Puts an edited filter where the old one was, dropping any other copy of it. */
export function replaceFilter(filters: SimpleFilter[], old: SimpleFilter | null, next: SimpleFilter): SimpleFilter[] {
  const key = encodeFilter(next);
  const oldKey = old && encodeFilter(old);
  const index = oldKey ? filters.findIndex((filter) => encodeFilter(filter) === oldKey) : -1;
  const kept = filters.filter((filter, i) => i === index || encodeFilter(filter) !== key);
  const at = kept.findIndex((filter) => oldKey !== null && encodeFilter(filter) === oldKey);
  if (at === -1) return [...kept, next].slice(-MAX_FILTERS);
  return kept.map((filter, i) => (i === at ? next : filter));
}

function parseRange(params: URLSearchParams): DateRange {
  const range = params.get("range");
  if (range === "custom") {
    const from = params.get("from") ?? "";
    const to = params.get("to") ?? "";
    return isDay(from) && isDay(to) && from <= to ? [from, to] : DEFAULT_RANGE;
  }
  return (RANGE_KEYS as readonly string[]).includes(range ?? "") ? (range as DateRangeKey) : DEFAULT_RANGE;
}

function parseDetails(params: URLSearchParams): Details | null {
  const tab = findTab(params.get("details"));
  if (!tab) return null;
  const [by = "", dir = ""] = (params.get("sort") ?? "").split(":");
  const sort = tab.detailMetrics.includes(by as Metric) && (dir === "asc" || dir === "desc") ? { by: by as Metric, dir: dir as "asc" | "desc" } : null;
  const page = Number(params.get("page") ?? "1");
  return {
    tab: tab.id,
    search: (params.get("q") ?? "").slice(0, MAX_SEARCH),
    sort,
    page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}

/** A free-text parameter within its length (and starting with `prefix`), else null. */
function textParam(params: URLSearchParams, name: string, max: number, prefix = ""): string | null {
  const value = params.get(name);
  return value && value.length <= max && value.startsWith(prefix) ? value : null;
}

export function parseView(search: string): View {
  const params = new URLSearchParams(search);
  const compare = Object.entries(COMPARE_PARAM).find(([, value]) => value === params.get("compare"))?.[0];
  const metric = params.get("metric");
  const interval = params.get("interval");
  const filters: SimpleFilter[] = [];
  for (const text of params.getAll("f")) {
    const filter = decodeFilter(text);
    if (filter && !filters.some((other) => sameFilter(other, filter))) filters.push(filter);
  }
  const segment = Number(params.get("segment"));
  const tabs: Record<string, string> = {};
  for (const card of CARDS) {
    const tab = params.get(card.id);
    if (tab && tab !== card.tabs[0]!.id && card.tabs.some((entry) => entry.id === tab)) tabs[card.id] = tab;
  }
  return {
    range: parseRange(params),
    compare: (compare as ComparisonMode | undefined) ?? null,
    filters: filters.slice(0, MAX_FILTERS),
    segment: Number.isSafeInteger(segment) && segment > 0 ? segment : null,
    metric: (TOP_METRICS as readonly string[]).includes(metric ?? "") ? (metric as TopMetric) : DEFAULT_VIEW.metric,
    interval: (INTERVALS as readonly string[]).includes(interval ?? "") ? (interval as Interval) : null,
    tabs,
    details: parseDetails(params),
    property: textParam(params, "property", MAX_PROP_KEY),
    scroll: textParam(params, "scroll", MAX_VALUE_LENGTH, "/"),
  };
}

/** The query string of a view, leaving out defaults; `:`, `/` and `,` stay readable. */
export function viewSearch(view: View): string {
  const params = new URLSearchParams();
  if (Array.isArray(view.range)) {
    params.set("range", "custom");
    params.set("from", view.range[0]);
    params.set("to", view.range[1]);
  } else params.set("range", view.range);
  if (view.compare) params.set("compare", COMPARE_PARAM[view.compare]);
  for (const filter of view.filters) params.append("f", encodeFilter(filter));
  if (view.segment) params.set("segment", String(view.segment));
  if (view.metric !== DEFAULT_VIEW.metric) params.set("metric", view.metric);
  if (view.interval) params.set("interval", view.interval);
  for (const card of CARDS) {
    const tab = view.tabs[card.id];
    if (tab && tab !== card.tabs[0]!.id) params.set(card.id, tab);
  }
  if (view.property) params.set("property", view.property);
  if (view.scroll) params.set("scroll", view.scroll);
  if (view.details) {
    params.set("details", view.details.tab);
    if (view.details.search) params.set("q", view.details.search);
    if (view.details.sort) params.set("sort", `${view.details.sort.by}:${view.details.sort.dir}`);
    if (view.details.page > 1) params.set("page", String(view.details.page));
  }
  const text = params.toString().replace(/%(2C|3A|2F)/g, (escaped) => decodeURIComponent(escaped));
  return text ? `?${text}` : "";
}
