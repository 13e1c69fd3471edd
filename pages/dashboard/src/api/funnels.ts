import type { Funnel, FunnelDropOff, FunnelReport, FunnelStep } from "@pixel/lib/funnels";
import { request } from "./client";
import type { DateRange, Filter } from "./types";

export type { Funnel, FunnelDropOff, FunnelReport, FunnelStep };

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/funnels`;

/** A site's funnels and their reports (docs/api.md, "Funnels"). */
export const listFunnels = (siteId: string, signal?: AbortSignal) => request<{ funnels: Funnel[] }>("GET", base(siteId), undefined, signal);
export const createFunnel = (siteId: string, name: string, steps: FunnelStep[]) =>
  request<{ funnel: Funnel }>("POST", base(siteId), { name, steps });
export const funnelReport = (siteId: string, funnelId: string, range: DateRange, filters: Filter[], signal?: AbortSignal) =>
  request<FunnelReport>("POST", `${base(siteId)}/${encodeURIComponent(funnelId)}/report`, { date_range: range, filters }, signal);
/** Where the visitors who stopped at `step` (1-based) went next. */
export const funnelDropOff = (siteId: string, funnelId: string, step: number, range: DateRange, filters: Filter[], signal?: AbortSignal) =>
  request<FunnelDropOff>("POST", `${base(siteId)}/${encodeURIComponent(funnelId)}/drop-off`, { date_range: range, filters, step }, signal);
