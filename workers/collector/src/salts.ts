import { DurableObject } from "cloudflare:workers";

export interface DailySalts {
  day: string;
  current: string;
  previous: string | null;
}

const DAY_MS = 86_400_000;
export const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * Holds the random daily salts behind visitor ids. A salt is made on the first hit of its UTC day
 * and deleted once it is two days old, so no visitor id can be recomputed after 48 hours.
 */
export class VisitorSalts extends DurableObject {
  async forDay(now: number = Date.now()): Promise<DailySalts> {
    const day = utcDay(now);
    const yesterday = utcDay(now - DAY_MS);
    const stored = await this.ctx.storage.get<string>([day, yesterday]);
    let current = stored.get(day);
    if (!current) {
      current = randomSalt();
      await this.ctx.storage.put(day, current);
      await this.forgetBefore(yesterday);
    }
    return { day, current, previous: stored.get(yesterday) ?? null };
  }

  /** The cron's housekeeping: today's salt exists and older ones are gone, even on a day without hits. */
  async housekeep(now: number = Date.now()): Promise<string[]> {
    await this.forDay(now);
    await this.forgetBefore(utcDay(now - DAY_MS));
    return this.days();
  }

  async days(): Promise<string[]> {
    return [...(await this.ctx.storage.list<string>()).keys()];
  }

  private async forgetBefore(day: string) {
    const old = [...(await this.ctx.storage.list({ end: day })).keys()];
    if (old.length) await this.ctx.storage.delete(old);
  }
}

function randomSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The one store all collectors share. */
export const saltStore = (namespace: DurableObjectNamespace<VisitorSalts>) => namespace.get(namespace.idFromName("global"));

let cached: { salts: DailySalts; from: number; until: number } | undefined;

/** The salts for `now`, cached in this isolate until the UTC day changes: one Durable Object call per isolate and day. */
export async function saltsFor(namespace: DurableObjectNamespace<VisitorSalts>, now = Date.now()): Promise<DailySalts> {
  if (cached && now >= cached.from && now < cached.until) return cached.salts;
  const salts = await saltStore(namespace).forDay(now);
  const from = Date.parse(`${salts.day}T00:00:00Z`);
  cached = { salts, from, until: from + DAY_MS };
  return salts;
}
