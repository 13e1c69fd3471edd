import { DEFAULT_VIEW, parseView, type View, viewSearch } from "./view";

/** Pages under /sites/:siteId/ besides the overview; each reads its own query string. */
export const SITE_SECTIONS = ["reports", "funnels", "retention", "drops", "settings"] as const;
export type SiteSection = (typeof SITE_SECTIONS)[number];

/** Pages that belong to the signed-in person rather than to a site. */
export const ACCOUNT_PAGES = ["users", "keys", "account"] as const;
export type AccountPage = (typeof ACCOUNT_PAGES)[number];

/** Pages for people who are not signed in; links in e-mails lead to the last two (their token after `#`). */
export const PUBLIC_PAGES = { "/forgot-password": "forgot-password", "/reset-password": "reset-password", "/invitation": "invitation" } as const;
export type PublicPage = (typeof PUBLIC_PAGES)[keyof typeof PUBLIC_PAGES];

export type Route =
  | { name: "home" }
  | { name: "public"; page: PublicPage }
  | { name: "login"; next: string | null }
  | { name: "new-site" }
  | { name: "site"; siteId: string; view: View }
  | { name: "site-section"; siteId: string; section: SiteSection; rest: string[]; search: string }
  | { name: "account-page"; page: AccountPage; search: string }
  | { name: "share"; token: string; view: View }
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
  if (path in PUBLIC_PAGES) return { name: "public", page: PUBLIC_PAGES[path as keyof typeof PUBLIC_PAGES] };

  if (path === "/sites/new") return { name: "new-site" };

  const [first, id, section, ...rest] = path.slice(1).split("/");
  const decoded = id === undefined ? null : decode(id);
  const restDecoded = rest.map(decode);
  if (first === "sites" && decoded && section === undefined) return { name: "site", siteId: decoded, view: parseView(search) };
  if (first === "sites" && decoded && isOneOf(SITE_SECTIONS, section) && restDecoded.every((part) => part !== null)) {
    return { name: "site-section", siteId: decoded, section, rest: restDecoded as string[], search };
  }
  if (first === "share" && decoded && section === undefined) return { name: "share", token: decoded, view: parseView(search) };
  if (isOneOf(ACCOUNT_PAGES, first) && id === undefined) return { name: "account-page", page: first, search };
  return { name: "not-found" };
}

export function siteUrl(siteId: string, view: View = DEFAULT_VIEW): string {
  return `/sites/${encodeURIComponent(siteId)}${viewSearch(view)}`;
}

export function siteSectionUrl(siteId: string, section: SiteSection, rest: string[] = [], search = ""): string {
  const path = [siteId, section, ...rest].map(encodeURIComponent).join("/");
  return `/sites/${path}${search && !search.startsWith("?") ? `?${search}` : search}`;
}

export function shareUrl(token: string, view: View = DEFAULT_VIEW): string {
  return `/share/${encodeURIComponent(token)}${viewSearch(view)}`;
}

/** The login page; `next` is where to go after signing in (only same-origin paths are kept). */
export function loginUrl(next?: string | null): string {
  const target = safeNext(next ?? null);
  return target && target !== "/" ? `/login?next=${encodeURIComponent(target)}` : "/login";
}

/** Stands in for the dashboard's origin: a path is safe when the browser would resolve it to that same origin. */
const SAME_ORIGIN = "https://dashboard.invalid";

/**
 * Where to go after signing in: a path on this origin, as the browser will resolve it, or null. Control characters and
 * backslashes are refused outright, since URL parsing drops or turns them into slashes (`/\t/evil.example` is `//evil.example`).
 */
export function safeNext(value: string | null): string | null {
  if (!value?.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return null;
  let target: URL;
  try {
    target = new URL(value, SAME_ORIGIN);
  } catch {
    return null;
  }
  if (target.origin !== SAME_ORIGIN || target.pathname === "/login") return null;
  return target.pathname + target.search + target.hash;
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function isOneOf<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return (list as readonly string[]).includes(value ?? "");
}
