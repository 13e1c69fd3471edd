import { describe, expect, it } from "vitest";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { FOREVER, FORGOTTEN_SITES } from "@pixel/lib/clickhouse/site-data";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { insertRows } from "@pixel/lib/clickhouse/insert";
import { DROPPED_HITS } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { accessWorld, call, signedInUser } from "@pixel/test/support/workers/api";
import { clickHouse, countRows } from "@pixel/test/support/workers/api-data";

async function seed(siteId: string) {
  const client = clickHouse();
  await insertEvents(client, [eventRow({ site_id: siteId }), eventRow({ site_id: siteId, name: "engagement", engaged_ms: 4000 })]);
  await insertRows(client, DROPPED_HITS, [
    { kind: "drop", site_id: siteId, hostname: "x.example", reason: "bot", detail: "", drop_id: crypto.randomUUID(), hits: 3, timestamp: Date.now() },
  ]);
  await client.close();
}

/** The tombstone the flusher goes by (ms): hits of the site stamped up to it are never stored again. */
async function forgottenUntil(siteId: string): Promise<number | undefined> {
  const client = clickHouse();
  try {
    const rows = await selectRows<{ until: string }>(
      client,
      `SELECT toString(toUnixTimestamp64Milli(max(until))) AS until FROM ${FORGOTTEN_SITES} WHERE site_id = {site:String} HAVING count() > 0`,
      { site: siteId },
    );
    return rows[0] && Number(rows[0].until);
  } finally {
    await client.close();
  }
}

// Lightweight deletes on four tables: slow on a loaded machine with the local engine running every write alone.
describe("DELETE /api/sites/:siteId/data", { timeout: 30_000 }, () => {
  it("removes the site's rows from every per-site table and leaves other sites' rows alone", async () => {
    const { a, b, owner } = await accessWorld();
    await seed(a.id);
    await seed(b.id);
    expect(await countRows("events", a.id)).toBe(2);
    const response = await call(`/sites/${a.id}/data`, { cookie: owner.cookie, method: "DELETE" });
    expect(response.status).toBe(204);
    expect([await countRows("events", a.id), await countRows("dropped_hits", a.id)]).toEqual([0, 0]);
    expect([await countRows("events", b.id), await countRows("dropped_hits", b.id)]).toEqual([2, 1]);
    expect([await countRows("sessions", a.id), await countRows("pages", a.id)], "the rollups of the events go too").toEqual([0, 0]);
    expect(await countRows("pages", b.id)).toBeGreaterThan(0);
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie })).status).toBe(200);
  });

  it("leaves a tombstone up to now, so no hit from before comes back, while newer hits count", async () => {
    const { a, b, owner } = await accessWorld();
    const before = Date.now();
    expect((await call(`/sites/${a.id}/data`, { cookie: owner.cookie, method: "DELETE" })).status).toBe(204);
    expect(await forgottenUntil(a.id)).toBeGreaterThanOrEqual(before);
    expect(await forgottenUntil(a.id)).toBeLessThanOrEqual(Date.now());
    expect(await forgottenUntil(b.id)).toBeUndefined();
  });

  it("is for owners: a site admin or viewer gets 403, anyone else 404, and nothing is deleted", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const stranger = await signedInUser();
    await seed(a.id);
    for (const cookie of [siteAdmin.cookie, viewer.cookie]) {
      const response = await call(`/sites/${a.id}/data`, { cookie, method: "DELETE" });
      expect(response.status).toBe(403);
      expect(response.json.error).toContain("needs a site owner");
    }
    expect((await call(`/sites/${a.id}/data`, { cookie: stranger.cookie, method: "DELETE" })).status).toBe(404);
    expect((await call(`/sites/${a.id}/data`, { method: "DELETE" })).status).toBe(401);
    expect(await countRows("events", a.id)).toBe(2);
  });
});

describe("DELETE /api/sites/:siteId", { timeout: 30_000 }, () => {
  it("deletes the site's events with it", async () => {
    const { a, b, owner } = await accessWorld();
    await seed(a.id);
    await seed(b.id);
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "DELETE" })).status).toBe(204);
    expect([await countRows("events", a.id), await countRows("dropped_hits", a.id)]).toEqual([0, 0]);
    expect(await countRows("events", b.id)).toBe(2);
    expect(await forgottenUntil(a.id), "none of its hits is stored again").toBe(FOREVER);
  });
});
