import { DurableObject } from "cloudflare:workers";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { sourceOf, type Traffic } from "@pixel/lib/events/traffic";
import { hash64 } from "./enrich/visitor";

/**
 * Hits on two sites of one account this close together, with the same device signals, are one visitor; so are an
 * in-app WebView's hits and the browser's that follow them on the same site.
 */
export const LINK_WINDOW_MS = 15 * 60_000;

/** What a browser visit takes from the in-app WebView visit it follows: that visit's source and channel. */
export type WebViewLink = Pick<EventRow, "linked_source" | "linked_channel">;
const NOT_LINKED: WebViewLink = { linked_source: "", linked_channel: "" };

/** What a hit would pass on, were it an in-app WebView's first: its source and channel as the visit's. */
export const linkFrom = (traffic: Traffic): WebViewLink => ({ linked_source: sourceOf(traffic), linked_channel: traffic.channel });

/** One hit, as device linking sees it. */
export interface DeviceHit {
  site: string;
  visitor: string;
  /** The app of an in-app WebView, "" for a browser. */
  webview: string;
  /** linkFrom(the hit's traffic). */
  passes: WebViewLink;
}

export interface LinkedVisitor extends WebViewLink {
  visitor_id: string;
}

interface Sighting {
  site: string;
  visitor: string;
  /** The visitor id this one was linked to, or its own. */
  linked: string;
  at: number;
  /** An in-app WebView's: the source and channel of its first hit seen here. */
  brought?: WebViewLink;
  /** A browser's that followed an in-app WebView on this site: what that WebView brought. */
  from?: WebViewLink;
}

/**
 * Visitor linking for one account and one device-signal hash: across the account's sites, and on one site from an
 * in-app WebView to the browser that follows it. Any other two visitors sharing the signal on one site (shared
 * office NAT, a stock device image, a second browser) make it not identifying: it is marked weak for the window
 * and links nobody.
 */
export class DeviceLinks extends DurableObject {
  async link(hit: DeviceHit, now: number): Promise<LinkedVisitor> {
    const recent = ((await this.ctx.storage.get<Sighting[]>("sightings")) ?? []).filter((seen) => now - seen.at <= LINK_WINDOW_MS);
    const weak = ((await this.ctx.storage.get<number>("weakUntil")) ?? 0) > now;
    const mine = recent.find((seen) => seen.site === hit.site && seen.visitor === hit.visitor);
    const neighbours = recent.filter((seen) => seen.site === hit.site && seen.visitor !== hit.visitor);
    const app = !weak && !mine && !hit.webview && neighbours.length === 1 && neighbours[0]!.brought ? neighbours[0] : undefined;
    const earlier = weak ? undefined : recent.find((seen) => seen.site !== hit.site);
    const sighting: Sighting = {
      site: hit.site,
      visitor: hit.visitor,
      linked: mine?.linked ?? app?.linked ?? earlier?.linked ?? hit.visitor,
      at: now,
      brought: mine?.brought ?? (hit.webview ? hit.passes : undefined),
      from: mine?.from ?? app?.brought,
    };
    if (neighbours.some((seen) => !pairedOnSite(sighting, seen))) {
      await this.ctx.storage.put({ weakUntil: now + LINK_WINDOW_MS, sightings: [] });
      return { visitor_id: hit.visitor, ...NOT_LINKED };
    }
    await this.ctx.storage.put("sightings", [...recent.filter((seen) => seen !== mine), sighting]);
    await this.ctx.storage.setAlarm(now + LINK_WINDOW_MS);
    return { visitor_id: sighting.linked, ...(sighting.from ?? NOT_LINKED) };
  }

  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/** Two visitors of one site are one device only as an in-app WebView and the browser linked to it. */
const pairedOnSite = (one: Sighting, other: Sighting) =>
  one.linked === other.linked && ((one.from !== undefined && other.brought !== undefined) || (one.brought !== undefined && other.from !== undefined));

/** Device tokens shorter than this carry too little to tell people apart. */
const MIN_SIGNAL_LENGTH = 16;

/**
 * The visitor id to store, and the in-app visit this hit's browser visit follows: linked when the hit carries strong
 * device signals (the site's opt-in `identity: 'device'`), else the hit's own visitor, not linked.
 */
export async function linkedVisitor(
  links: DurableObjectNamespace<DeviceLinks>,
  account: string,
  device: string | undefined,
  hit: DeviceHit,
  now: number,
): Promise<LinkedVisitor> {
  if (!device || device.length < MIN_SIGNAL_LENGTH || /^(.)\1*$/.test(device)) return { visitor_id: hit.visitor, ...NOT_LINKED };
  const key = await hash64(account, device);
  return links.get(links.idFromName(key)).link(hit, now);
}
