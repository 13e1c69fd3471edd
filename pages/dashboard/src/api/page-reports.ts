import type { PropertyKeysAnswer, ScrollDepthAnswer } from "@pixel/lib/stats/page-reports";
import type { Scope } from "../stats";
import { request } from "./client";

export type { PropertyKeysAnswer, ScrollDepthAnswer };

/** The reports beside the query language (docs/stats-api.md): only the lazily loaded cards import them. */
const scopeBody = (scope: Scope) => ({ site_id: scope.siteId, date_range: scope.range, ...(scope.filters.length && { filters: scope.filters }) });

export const propertyKeys = (scope: Scope, signal?: AbortSignal) => request<PropertyKeysAnswer>("POST", "/api/v2/property-keys", scopeBody(scope), signal);
export const scrollDepth = (scope: Scope, page: string, signal?: AbortSignal) =>
  request<ScrollDepthAnswer>("POST", "/api/v2/scroll-depth", { ...scopeBody(scope), page }, signal);
