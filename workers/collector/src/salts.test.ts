import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CollectorEnv } from "./env";
import { visitorIds } from "./enrich/visitor";
import { bridgedVisitorIds } from "./bridge";

const salts = (name: string) => {
  const namespace = (env as unknown as CollectorEnv).SALTS;
  return namespace.get(namespace.idFromName(name));
};
const at = (iso: string) => Date.parse(iso);

describe("daily visitor salts", () => {
  it("keeps one salt per UTC day: same visitor, same day → same id; next day → another id", async () => {
    const store = salts("rotation");
    const morning = await store.forDay(at("2026-03-01T08:00:00Z"));
    const evening = await store.forDay(at("2026-03-01T23:59:00Z"));
    const nextDay = await store.forDay(at("2026-03-02T00:01:00Z"));
    expect(evening.current).toBe(morning.current);
    expect(nextDay.current).not.toBe(morning.current);
    expect(nextDay.previous).toBe(morning.current);
    const id = (s: typeof morning) => visitorIds(s.current, "site", "203.0.113.7", "UA").then((ids) => ids.visitor_id);
    expect(await id(evening)).toBe(await id(morning));
    expect(await id(nextDay)).not.toBe(await id(morning));
  });

  it("deletes a salt once it is two days old, so old ids can never be recomputed", async () => {
    const store = salts("expiry");
    await store.forDay(at("2026-03-01T12:00:00Z"));
    await store.forDay(at("2026-03-02T12:00:00Z"));
    expect(await store.days()).toEqual(["2026-03-01", "2026-03-02"]);
    const third = await store.forDay(at("2026-03-03T12:00:00Z"));
    expect(await store.days()).toEqual(["2026-03-02", "2026-03-03"]);
    expect(third.previous).not.toBeNull();
  });
});

describe("a visit across midnight", () => {
  const testEnv = env as unknown as CollectorEnv;
  /** A midnight still ahead, so the bridge's clean-up alarm has not fired yet. */
  const MIDNIGHT = (Math.floor(Date.now() / 86_400_000) + 2) * 86_400_000;
  const visitor = (name: string, minutes: number, site: string, ip = "203.0.113.7") => {
    const now = MIDNIGHT + minutes * 60_000;
    return salts(name)
      .forDay(now)
      .then((daily) => bridgedVisitorIds(testEnv.BRIDGE, daily, site, ip, "UA", now))
      .then((ids) => ids.visitor_id);
  };

  it("keeps yesterday's visitor id for a visitor active in the half hour before midnight", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const before = await visitor("midnight-a", -10, site);
    expect(await visitor("midnight-a", 10, site)).toBe(before);
  });

  it("gives today's id to a visitor not seen just before midnight, and to everyone after the first half hour", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const evening = await visitor("midnight-b", -240, site);
    expect(await visitor("midnight-b", 10, site)).not.toBe(evening);
    const late = await visitor("midnight-b", -5, site, "198.51.100.9");
    expect(await visitor("midnight-b", 45, site, "198.51.100.9")).not.toBe(late);
  });

  it("does not carry a visitor over to another site", async () => {
    const [site, other] = [`site_${crypto.randomUUID()}`, `site_${crypto.randomUUID()}`];
    const before = await visitor("midnight-c", -10, site);
    expect(await visitor("midnight-c", 10, other)).not.toBe(before);
  });
});
