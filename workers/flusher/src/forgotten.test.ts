import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "../../../lib/clickhouse/client";
import { deleteSiteData, forgetSite } from "../../../lib/clickhouse/site-data";
import { type DropMessage, encodeMessage } from "../../../lib/events/message";
import { eventRow } from "../../../test/support/event-row";
import { FORGET_CRON } from "./forgotten";
import worker, { type FlusherEnv } from "./index";
import { keep, type KeptBatch, replayDeadLetters } from "./kept";

const flusherEnv = env as unknown as FlusherEnv & { TEST_CLICKHOUSE_USER?: string; TEST_CLICKHOUSE_PASSWORD?: string };
const newSite = () => `site_${crypto.randomUUID()}`;

/** The api's deletes, and the checks, run as the test setup's ClickHouse user where one is given (TEST_CLICKHOUSE_USER). */
async function withClient<T>(use: (client: ReturnType<typeof connectClickHouse>) => Promise<T>): Promise<T> {
  const user = flusherEnv.TEST_CLICKHOUSE_USER ? { CLICKHOUSE_USER: flusherEnv.TEST_CLICKHOUSE_USER, CLICKHOUSE_PASSWORD: flusherEnv.TEST_CLICKHOUSE_PASSWORD } : {};
  const client = connectClickHouse(clickHouseConfigFromEnv({ ...flusherEnv, ...user }));
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch<unknown>("pixel-hits", bodies.map((body, i) => ({ id: `f-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: 1, body })));
  await worker.queue(batch as MessageBatch<unknown>, flusherEnv);
  return getQueueResult(batch, createExecutionContext());
}

const stored = (table: "events" | "dropped_hits", site: string) =>
  withClient(async (client) => {
    const [row] = await selectRows<{ n: number }>(client, `SELECT count() AS n FROM ${table} FINAL WHERE site_id = {site:String}`, { site });
    return Number(row!.n);
  });

const drop = (site: string): DropMessage => ({
  kind: "drop", drop_id: crypto.randomUUID(), timestamp: Date.now() - 1000, site_id: site, hostname: "shop.example", reason: "bot", detail: "user_agent", hits: 2,
});

describe("deleted site data stays deleted", () => {
  it("stores no hit of a deleted site, nor one stamped before its data was deleted, even when replayed from R2", async () => {
    const [gone, reset] = [newSite(), newSite()];
    await withClient(async (client) => {
      await deleteSiteData(client, gone);
      await forgetSite(client, gone);
      await deleteSiteData(client, reset);
    });
    const before = eventRow({ site_id: reset, timestamp: Date.now() - 3_600_000 });
    const after = eventRow({ site_id: reset, timestamp: Date.now() + 60_000 });
    const late = { site_id: gone, timestamp: Date.now() + 60_000 }; // taken by a collector whose site cache is a minute old
    const bodies = [encodeMessage(eventRow(late)), encodeMessage(drop(gone)), encodeMessage(before), encodeMessage(after)];

    expect((await deliver(bodies)).explicitAcks).toHaveLength(4);
    const replayed: unknown[] = [];
    await keep(flusherEnv.KEPT, "dead", "pixel-hits-dead", bodies.map((body, i) => ({ id: `d${i}`, attempts: 10, body })));
    await replayDeadLetters(flusherEnv.KEPT, { sendBatch: async (messages: { body: unknown }[]) => void replayed.push(...messages.map((m) => m.body)) } as never);
    expect(replayed).toEqual(expect.arrayContaining(bodies));
    await deliver(replayed);

    expect([await stored("events", gone), await stored("dropped_hits", gone), await stored("events", reset)]).toEqual([0, 0, 1]);
  });

  it("takes a deleted site's hits out of the batches kept in R2 at the hourly run, and leaves the others' alone", async () => {
    const [gone, other] = [newSite(), newSite()];
    const keptGone = eventRow({ site_id: gone });
    const keptOther = eventRow({ site_id: other });
    const mixed = await keep(flusherEnv.KEPT, "dead", "pixel-hits-dead", [
      { id: "a", attempts: 10, body: encodeMessage(keptGone) },
      { id: "b", attempts: 10, body: keptOther },
    ]);
    const onlyGone = await keep(flusherEnv.KEPT, "invalid", "pixel-hits", [
      { id: "c", attempts: 1, body: JSON.stringify({ site_id: gone, visitor_id: "not a number" }), error: "visitor_id" },
    ]);
    await withClient((client) => forgetSite(client, gone));

    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: FORGET_CRON }), flusherEnv);

    const left = await (await flusherEnv.KEPT.get(mixed!))!.json<KeptBatch>();
    expect(left.messages.map((message) => message.body)).toEqual([keptOther]);
    expect((await flusherEnv.KEPT.head(mixed!))!.customMetadata).toEqual({ messages: "1" });
    expect(await flusherEnv.KEPT.get(onlyGone!)).toBeNull();
  });
});
