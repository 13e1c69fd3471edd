import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "../../../lib/clickhouse/client";
import type { EventRow } from "../../../lib/events/row";
import { eventRow } from "../../../test/support/event-row";
import worker, { retryDelaySeconds, type FlusherEnv } from "./index";

const flusherEnv = env as unknown as FlusherEnv;

async function deliver(rows: EventRow[], target: FlusherEnv = flusherEnv, attempts = 1) {
  const messages = rows.map((body) => ({ id: body.event_id, timestamp: new Date(), attempts, body }));
  const batch = createMessageBatch<EventRow>("pixel-hits", messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, target);
  return getQueueResult(batch, ctx);
}

async function countFor(siteId: string): Promise<{ rows: number; distinct: number }> {
  const client = connectClickHouse(clickHouseConfigFromEnv(flusherEnv));
  const [row] = await selectRows<{ rows: number; distinct: number }>(
    client,
    "SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events FINAL WHERE site_id = {site:String}",
    { site: siteId },
  );
  await client.close();
  return row!;
}

describe("flushing hits into ClickHouse", () => {
  it("writes a batch with one insert and acknowledges it", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const result = await deliver(Array.from({ length: 25 }, (_, i) => eventRow({ site_id: site, pathname: `/p/${i}` })));
    expect(result.ackAll).toBe(true);
    expect(await countFor(site)).toEqual({ rows: 25, distinct: 25 });
  });

  it("stores every field as sent, including props and the timestamp", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const row = eventRow({ site_id: site, timestamp: Date.parse("2026-11-27T10:11:12.345Z"), props: { plan: "pro" }, pathname: "/ü'\"\\" });
    await deliver([row]);
    const client = connectClickHouse(clickHouseConfigFromEnv(flusherEnv));
    const [stored] = await selectRows<{ ts: string; plan: string; pathname: string }>(
      client,
      "SELECT toString(timestamp) AS ts, props['plan'] AS plan, pathname FROM events WHERE site_id = {site:String}",
      { site },
    );
    await client.close();
    expect(stored).toEqual({ ts: "2026-11-27 10:11:12.345", plan: "pro", pathname: "/ü'\"\\" });
  });

  it("counts a batch delivered twice, and a single resent event, once", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const rows = Array.from({ length: 10 }, () => eventRow({ site_id: site }));
    await deliver(rows);
    await deliver(rows, flusherEnv, 2);
    await deliver([rows[3]!, eventRow({ site_id: site })]);
    expect(await countFor(site)).toEqual({ rows: 11, distinct: 11 });
  });

  it("asks the queue to retry the whole batch, with backoff, when ClickHouse is unreachable", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const down = { ...flusherEnv, CLICKHOUSE_URL: "http://127.0.0.1:9" };
    const result = await deliver([eventRow({ site_id: site }), eventRow({ site_id: site })], down, 3);
    expect(result.ackAll).toBe(false);
    expect(result.retryBatch.retry).toBe(true);
    expect(await countFor(site)).toEqual({ rows: 0, distinct: 0 });
  });
});

describe("retry backoff", () => {
  it("doubles with each attempt and stops growing at five minutes", () => {
    expect([1, 2, 3, 8, 9, 20].map(retryDelaySeconds)).toEqual([2, 4, 8, 256, 300, 300]);
  });
});
