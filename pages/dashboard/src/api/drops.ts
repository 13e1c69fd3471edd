import { request } from "./client";

export interface DropsSummary {
  from: string;
  to: string;
  total: number;
  reasons: { reason: string; hits: number; details: { detail: string; hits: number }[] }[];
  days: { day: string; total: number; reasons: Record<string, number> }[];
}

/** What the collector refused for a site over inclusive UTC days (docs/api.md). */
export const droppedHits = (siteId: string, from: string, to: string, signal?: AbortSignal) =>
  request<DropsSummary>(
    "GET",
    `/api/sites/${encodeURIComponent(siteId)}/drops?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    undefined,
    signal,
  );
