import { DurableObject } from "cloudflare:workers";
import { hash64 } from "./enrich/visitor";

/** Hits on two sites of one account this close together, with the same device signals, are one visitor. */
export const LINK_WINDOW_MS = 15 * 60_000;

interface Sighting {
  site: string;
  visitor: string;
  /** The visitor id this one was linked to, or its own. */
  linked: string;
  at: number;
}

/**
 * Cross-site visitor linking for one account and one device-signal hash. A signal that two different
 * visitors on the same site share is not identifying (shared office NAT, a stock device image): it is
 * marked weak for the window and links nobody.
 */
export class DeviceLinks extends DurableObject {
  async link(site: string, visitor: string, now: number): Promise<string> {
    const recent = ((await this.ctx.storage.get<Sighting[]>("sightings")) ?? []).filter((seen) => now - seen.at <= LINK_WINDOW_MS);
    const weakUntil = (await this.ctx.storage.get<number>("weakUntil")) ?? 0;
    if (recent.some((seen) => seen.site === site && seen.visitor !== visitor)) {
      await this.ctx.storage.put({ weakUntil: now + LINK_WINDOW_MS, sightings: [] });
      return visitor;
    }
    const mine = recent.find((seen) => seen.site === site && seen.visitor === visitor);
    const earlier = weakUntil > now ? undefined : recent.find((seen) => seen.site !== site);
    const linked = mine?.linked ?? earlier?.linked ?? visitor;
    const others = recent.filter((seen) => !(seen.site === site && seen.visitor === visitor));
    await this.ctx.storage.put("sightings", [...others, { site, visitor, linked, at: now }]);
    await this.ctx.storage.setAlarm(now + LINK_WINDOW_MS);
    return linked;
  }

  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/** Device tokens shorter than this carry too little to tell people apart. */
const MIN_SIGNAL_LENGTH = 16;

/** The visitor id to store: linked across the account's sites when the hit carries strong device signals. */
export async function linkedVisitor(
  links: DurableObjectNamespace<DeviceLinks>,
  account: string,
  device: string | undefined,
  site: string,
  visitor: string,
  now: number,
): Promise<string> {
  if (!device || device.length < MIN_SIGNAL_LENGTH || /^(.)\1*$/.test(device)) return visitor;
  const key = await hash64(account, device);
  return links.get(links.idFromName(key)).link(site, visitor, now);
}
