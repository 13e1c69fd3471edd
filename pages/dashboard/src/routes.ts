import type { DateRangeKey } from "./api/types";

export const RANGES: readonly { key: DateRangeKey; label: string }[] = [
  { key: "day", label: "Today" },
  { key: "7d", label: "Last 7 days" },
  { key: "30d", label: "Last 30 days" },
  { key: "month", label: "This month" },
  { key: "all", label: "All time" },
];

export const DEFAULT_RANGE: DateRangeKey = "7d";

export type Route =
  | { name: "home" }
  | { name: "login"; next: string | null }
  | { name: "site"; siteId: string; range: DateRangeKey }
  | { name: "not-found" };

export interface Location {
  pathname: string;
  search: string;
}

export function parseRange(value: string | null): DateRangeKey {
  return RANGES.find((range) => range.key === value)?.key ?? DEFAULT_RANGE;
}

export function parseRoute({ pathname, search }: Location): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const params = new URLSearchParams(search);
  if (path === "/" || path === "") return { name: "home" };
  if (path === "/login") return { name: "login", next: safeNext(params.get("next")) };

  const site = /^\/sites\/([^/]+)$/.exec(path);
  if (site?.[1]) {
    const siteId = decode(site[1]);
    if (siteId) return { name: "site", siteId, range: parseRange(params.get("range")) };
  }
  return { name: "not-found" };
}

export function siteUrl(siteId: string, range: DateRangeKey = DEFAULT_RANGE): string {
  return `/sites/${encodeURIComponent(siteId)}?range=${range}`;
}

/** The login page; `next` is where to go after signing in (only same-origin paths are kept). */
export function loginUrl(next?: string | null): string {
  const target = safeNext(next ?? null);
  return target && target !== "/" ? `/login?next=${encodeURIComponent(target)}` : "/login";
}

export function safeNext(value: string | null): string | null {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  if (value === "/login" || value.startsWith("/login?")) return null;
  return value;
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
