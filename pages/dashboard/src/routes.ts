import { DEFAULT_VIEW, parseView, type View, viewSearch } from "./view";

export type Route =
  | { name: "home" }
  | { name: "login"; next: string | null }
  | { name: "site"; siteId: string; view: View }
  | { name: "not-found" };

export interface Location {
  pathname: string;
  search: string;
}

export function parseRoute({ pathname, search }: Location): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const params = new URLSearchParams(search);
  if (path === "/" || path === "") return { name: "home" };
  if (path === "/login") return { name: "login", next: safeNext(params.get("next")) };

  const site = /^\/sites\/([^/]+)$/.exec(path);
  if (site?.[1]) {
    const siteId = decode(site[1]);
    if (siteId) return { name: "site", siteId, view: parseView(search) };
  }
  return { name: "not-found" };
}

export function siteUrl(siteId: string, view: View = DEFAULT_VIEW): string {
  return `/sites/${encodeURIComponent(siteId)}${viewSearch(view)}`;
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
