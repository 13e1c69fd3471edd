import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import type { DropMessage } from "@pixel/lib/events/message";
import { DROPPED_HITS } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { insertRows } from "@pixel/lib/clickhouse/insert";
import { accessWorld, apiEnv, call } from "@pixel/test/support/workers/api";

let world: Awaited<ReturnType<typeof accessWorld>>;

const drop = (siteId: string, day: string, reason: DropMessage["reason"], hits: number, extra: Partial<DropMessage> = {}): DropMessage => ({
  kind: "drop",
  drop_id: crypto.randomUUID(),
  timestamp: Date.parse(`${day}T12:00:00Z`),
  site_id: siteId,
  hostname: "",
  reason,
  detail: "",
  hits,
  ...extra,
});

beforeAll(async () => {
  world = await accessWorld();
  const { a, b } = world;
  const twice = drop(a.id, "2026-03-02", "shield", 4, { detail: "country" });
  const client = adminClickHouse(apiEnv);
  await insertRows(client, DROPPED_HITS, [
    drop(a.id, "2026-03-01", "bot", 3, { detail: "user_agent" }),
    drop(a.id, "2026-03-01", "bot", 2, { detail: "datacenter" }),
    drop(a.id, "2026-03-02", "bot", 1, { detail: "user_agent" }),
    drop(a.id, "2026-03-02", "invalid", 1),
    twice,
    drop(a.id, "2026-03-05", "too_large", 1),
    // Hits stored without a part (personal data, a wrong revenue): listed by reason, not counted as dropped.
    drop(a.id, "2026-03-04", "pii_user_id", 2, { detail: "phone" }),
    drop(a.id, "2026-03-04", "pii_prop", 1, { detail: "contact" }),
    drop(a.id, "2026-03-04", "invalid_revenue", 3, { detail: "amount" }),
    // Outside the range asked for, another site's, and an unknown host that is not a subdomain of site A.
    drop(a.id, "2026-02-28", "bot", 50),
    drop(b.id, "2026-03-01", "bot", 70),
    drop("", "2026-03-01", "unknown_site", 90, { hostname: `evil-${a.domain}` }),
    // A subdomain of site A that is not among its hostnames.
    drop("", "2026-03-03", "unknown_site", 6, { hostname: `staging.${a.domain}` }),
  ]);
  // A redelivered message: the same drop_id, counted once.
  await insertRows(client, DROPPED_HITS, [twice]);
  await client.close();
});

const path = (siteId: string, query = "from=2026-03-01&to=2026-03-05") => `/sites/${siteId}/drops?${query}`;

describe("dropped hits of a site", () => {
  it("needs a session, and a site the caller can see", async () => {
    expect((await call(path(world.a.id))).status).toBe(401);
    const other = await call(path(world.b.id), { cookie: world.viewer.cookie });
    expect(other.status).toBe(404);
    expect(other.json.error).toContain("siteId");
    for (const who of [world.viewer, world.owner, world.globalAdmin]) {
      expect((await call(path(world.a.id), { cookie: who.cookie })).status).toBe(200);
    }
  });

  it("sums the inserted rows per reason, per detail and per day", async () => {
    const { json, status } = await call(path(world.a.id), { cookie: world.viewer.cookie });
    expect(status).toBe(200);
    expect(json.total).toBe(3 + 2 + 1 + 1 + 4 + 1 + 6);
    const byReason = Object.fromEntries(json.reasons.map((entry: { reason: string; hits: number }) => [entry.reason, entry.hits]));
    expect(byReason).toEqual({ bot: 6, invalid: 1, unknown_site: 6, too_large: 1, shield: 4, rate_limited: 0, store_full: 0, pii_user_id: 2, pii_prop: 1, invalid_revenue: 3 });
    const bot = json.reasons.find((entry: { reason: string }) => entry.reason === "bot");
    expect(bot.details).toEqual([
      { detail: "user_agent", hits: 4 },
      { detail: "datacenter", hits: 2 },
    ]);
    expect(json.days.map((day: { day: string }) => day.day)).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]);
    expect(json.days.map((day: { total: number }) => day.total)).toEqual([5, 6, 6, 0, 1]);
    expect(json.days[1].reasons).toEqual({ bot: 1, invalid: 1, shield: 4 });
    expect(json.days[3].reasons).toEqual({ pii_user_id: 2, pii_prop: 1, invalid_revenue: 3 });
  });

  it.each([
    ["to=2026-03-05", "from"],
    ["from=2026-03-01", "to"],
    ["from=2026-3-1&to=2026-03-05", "from"],
    ["from=2026-02-30&to=2026-03-05", "from"],
    ["from=2026-03-05&to=2026-03-01", "from"],
    ["from=2024-01-01&to=2026-03-01", "to"],
    ["from=x'); DROP TABLE events;--&to=2026-03-01", "from"],
  ])("refuses %s with a 400 naming %s", async (query, field) => {
    const response = await call(path(world.a.id, query), { cookie: world.viewer.cookie });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(new RegExp(`^${field}:`));
  });
});
