import type { Hit } from "@pixel/lib/events/hit";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { DailySalts } from "../salts";
import { belongsToSite, type SiteMatch } from "../sites";
import { geoFrom } from "./geo";
import { pageFrom } from "@pixel/lib/events/page";
import { trafficFrom } from "@pixel/lib/events/traffic";
import { type ClientHints, softwareFrom } from "./user-agent";
import { hash64, type VisitorIds } from "./visitor";
import { type RecalledVisit, UNKNOWN_VISIT } from "../returning";
import { bridgedVisitorIds, type VisitorBridge } from "../bridge";
import { linkedVisitor, linkFrom, type DeviceLinks } from "../devices";
import { LIMITS } from "@pixel/lib/events/hit";

export interface HitContext {
  site: SiteMatch;
  salts: DailySalts;
  ip: string;
  /** The visitor's ids under today's salt, when already computed for this request. */
  todays?: VisitorIds;
  userAgent: string;
  hints?: ClientHints;
  cf: IncomingRequestCfProperties | undefined;
  receivedAt: number;
  /** New or returning, and the visit days, as pixel.js's validators told them (returning.ts). */
  visit?: RecalledVisit;
  bridges: DurableObjectNamespace<VisitorBridge>;
  links: DurableObjectNamespace<DeviceLinks>;
}

/** Turns a validated hit into the row stored for it. */
export async function enrich(hit: Hit, url: URL, context: HitContext): Promise<EventRow> {
  const { site, salts, ip, userAgent } = context;
  const ids = await bridgedVisitorIds(context.bridges, salts, site.id, ip, userAgent, context.receivedAt, context.todays);
  const traffic = trafficFrom(url, hit.referrer, (host) => belongsToSite(site, host));
  const software = softwareFrom(userAgent, context.hints);
  const seen = { site: site.id, visitor: ids.visitor_id, webview: software.webview, passes: linkFrom(traffic) };
  const { visitor_id, ...linked } = await linkedVisitor(context.links, site.account, hit.device, seen, context.receivedAt);
  const session = hit.session_id ? await hash64(site.id, hit.session_id) : await hash64(visitor_id, "session");
  return {
    site_id: site.id,
    timestamp: eventTime(hit, context.receivedAt),
    event_id: hit.id,
    name: hit.name,
    visitor_id,
    session_id: session,
    user_id: hit.user_id ?? "",
    ...(context.visit ?? UNKNOWN_VISIT),
    ...pageFrom(url),
    title: hit.title ?? "",
    ...traffic,
    ...geoFrom(context.cf),
    ...software,
    ...linked,
    screen_width: hit.screen_width ?? 0,
    scroll_depth: hit.scroll_depth ?? 0,
    engaged_ms: hit.engaged_ms ?? 0,
    revenue_amount: hit.revenue?.amount ?? "0",
    revenue_currency: hit.revenue?.currency ?? "",
    props: stringProps(hit.props),
    ip_hash: ids.ip_hash,
    retention_days: site.retentionDays,
  };
}

/**
 * When the hit happened, on the server's clock: the sender's own age of the hit (sent_at - ts)
 * is trusted, its absolute clock is not.
 */
export function eventTime(hit: Hit, receivedAt: number): number {
  if (hit.ts === undefined || hit.sent_at === undefined) return receivedAt;
  const age = Math.min(Math.max(hit.sent_at - hit.ts, 0), LIMITS.maxAgeMs);
  return receivedAt - age;
}

function stringProps(props: Hit["props"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props ?? {})) out[key] = String(value);
  return out;
}
