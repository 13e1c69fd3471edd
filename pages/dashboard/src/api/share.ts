import { request } from "./client";
import type { Site } from "./types";

export type SharedSite = Pick<Site, "id" | "domain" | "name" | "timezone">;

/** The site a share link opens; no session and no token header needed. */
export const sharedSite = (token: string) =>
  request<{ site: SharedSite }>("GET", `/api/share/${encodeURIComponent(token)}`).then((body) => body.site);
