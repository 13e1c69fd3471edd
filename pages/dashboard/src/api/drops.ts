import type { DropsSummary } from "@pixel/lib/stats/drops";
import { request } from "./client";

export type { DropsSummary };

/** What the collector refused for a site over inclusive UTC days (docs/api.md). */
export const droppedHits = (siteId: string, from: string, to: string, signal?: AbortSignal) =>
  request<DropsSummary>(
    "GET",
    `/api/sites/${encodeURIComponent(siteId)}/drops?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    undefined,
    signal,
  );
