import { DurableObject } from "cloudflare:workers";
import type { DailySalts } from "./salts";
import { visitorIds, type VisitorIds } from "./enrich/visitor";

const DAY_MS = 86_400_000;
/** A visit ends after 30 minutes without a hit; only visits that close to midnight can cross it. */
export const SESSION_MS = 30 * 60_000;

/**
 * Visitor ids seen in a site's last half hour before UTC midnight, so the first half hour after it can
 * keep yesterday's id for the same visitor. Everything is deleted half an hour after midnight.
 */
export class VisitorBridge extends DurableObject {
  async remember(visitorId: string, forgetAt: number): Promise<void> {
    await this.ctx.storage.put(visitorId, forgetAt);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(forgetAt);
  }

  /** Checks the time too: an alarm may run late. */
  async seen(visitorId: string, now: number): Promise<boolean> {
    return ((await this.ctx.storage.get<number>(visitorId)) ?? 0) > now;
  }

  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/**
 * The visitor's ids under today's salt, unless they were active just before midnight: then
 * yesterday's visitor id is kept, so a visit that crosses midnight stays one visitor.
 */
export async function bridgedVisitorIds(
  bridges: DurableObjectNamespace<VisitorBridge>,
  salts: DailySalts,
  site: string,
  ip: string,
  userAgent: string,
  now: number,
  todays?: VisitorIds,
): Promise<VisitorIds> {
  const ids = todays ? { ...todays } : await visitorIds(salts.current, site, ip, userAgent);
  const sinceMidnight = now % DAY_MS;
  const bridge = () => bridges.get(bridges.idFromName(site));
  if (DAY_MS - sinceMidnight <= SESSION_MS) {
    await bridge().remember(ids.visitor_id, now - sinceMidnight + DAY_MS + SESSION_MS);
  } else if (sinceMidnight < SESSION_MS && salts.previous) {
    const yesterday = await visitorIds(salts.previous, site, ip, userAgent);
    if (await bridge().seen(yesterday.visitor_id, now)) return { ...ids, visitor_id: yesterday.visitor_id };
  }
  return ids;
}
