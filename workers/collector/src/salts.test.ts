import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CollectorEnv } from "./env";
import { visitorIds } from "./enrich/visitor";

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
    const id = (s: typeof morning) => visitorIds(s, "site", "203.0.113.7", "UA").then((ids) => ids.visitor_id);
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
