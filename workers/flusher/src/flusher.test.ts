import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { createClient } from "@clickhouse/client-web";
import { describe, expect, it, vi } from "vitest";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { deleteSiteData, forgetSite } from "@pixel/lib/clickhouse/site-data";
import { compactRow, type DropMessage, type DropsMessage, encodeMessage, packMessages, type QueueMessage } from "@pixel/lib/events/message";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { eventRow } from "@pixel/test/support/event-row";
import worker, { retryDelaySeconds, type FlusherEnv } from "./index";
import { EVENTS } from "@pixel/lib/clickhouse/tables/events";
import { insertIsolating, insertRows } from "@pixel/lib/clickhouse/insert";
import { FORGET_CRON } from "./forgotten";
import { keep, type KeptBatch, replayDeadLetters } from "./kept";

const flusherEnv = env as unknown as FlusherEnv;
const DOWN = { ...flusherEnv, CLICKHOUSE_URL: "http://127.0.0.1:9" };
const ADMIN_TOKEN = "test-admin-token-0123456789";

let sequence = 0;
async function deliver(bodies: unknown[], options: { target?: FlusherEnv; attempts?: number; queue?: string } = {}) {
  const messages = bodies.map((body) => ({ id: `msg-${++sequence}`, timestamp: new Date(), attempts: options.attempts ?? 1, body }));
  const batch = createMessageBatch<unknown>(options.queue ?? "pixel-hits", messages);
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, options.target ?? flusherEnv);
  const result = await getQueueResult(batch, ctx);
  return { ...result, acked: result.explicitAcks.length, retried: result.retryMessages.length };
}

async function select<T>(sql: string, site: string): Promise<T[]> {
  const client = connectClickHouse(clickHouseConfigFromEnv(flusherEnv));
  try {
    return await selectRows<T>(client, sql, { site });
  } finally {
    await client.close();
  }
}

async function countFor(site: string) {
  const [row] = await select<{ rows: number; distinct: number }>(
    "SELECT count() AS rows, uniqExact(event_id) AS distinct FROM events FINAL WHERE site_id = {site:String}",
    site,
  );
  return row!;
}

async function keptBatches(prefix: "dead" | "invalid"): Promise<{ key: string; batch: KeptBatch }[]> {
  const listed = await flusherEnv.KEPT.list({ prefix: `${prefix}/` });
  return Promise.all(listed.objects.map(async ({ key }) => ({ key, batch: await (await flusherEnv.KEPT.get(key))!.json<KeptBatch>() })));
}

const newSite = () => `site_${crypto.randomUUID()}`;
const rowsFor = (site: string, count: number) => Array.from({ length: count }, (_, i) => eventRow({ site_id: site, pathname: `/p/${i}` }));

describe("flushing hits into ClickHouse", () => {
  it("writes a batch and acknowledges every message", async () => {
    const site = newSite();
    const result = await deliver(rowsFor(site, 25));
    expect(result).toMatchObject({ acked: 25, retried: 0 });
    expect(await countFor(site)).toEqual({ rows: 25, distinct: 25 });
  });

  it("stores every field as sent, including props and the timestamp", async () => {
    const site = newSite();
    const row = eventRow({ site_id: site, timestamp: Date.parse("2026-11-27T10:11:12.345Z"), props: { plan: "pro" }, pathname: "/ü'\"\\" });
    await deliver([row]);
    const [stored] = await select<{ ts: string; plan: string; pathname: string }>(
      "SELECT toString(timestamp) AS ts, props['plan'] AS plan, pathname FROM events WHERE site_id = {site:String}",
      site,
    );
    expect(stored).toEqual({ ts: "2026-11-27 10:11:12.345", plan: "pro", pathname: "/ü'\"\\" });
  });

  it("stores revenue as an exact Decimal(18, 4) with its currency, to the largest amount the wire format takes", async () => {
    const site = newSite();
    const largest = eventRow({ site_id: site, name: "Purchase", pathname: "/a", revenue_amount: "99999999999999.9999", revenue_currency: "EUR" });
    const cents = compactRow(eventRow({ site_id: site, name: "Purchase", pathname: "/b", revenue_amount: "0.1", revenue_currency: "USD" }));
    expect(await deliver([largest, encodeMessage(cents)])).toMatchObject({ acked: 2, retried: 0 });
    const stored = await select<{ amount: string; currency: string; type: string }>(
      "SELECT toString(revenue_amount) AS amount, revenue_currency AS currency, toTypeName(revenue_amount) AS type FROM events FINAL WHERE site_id = {site:String} ORDER BY pathname",
      site,
    );
    expect(stored).toEqual([
      { amount: "99999999999999.9999", currency: "EUR", type: "Decimal(18, 4)" },
      { amount: "0.1", currency: "USD", type: "Decimal(18, 4)" },
    ]);
  });

  it("stores compact rows sent as JSON text (empty fields left out) beside whole rows sent as objects by older collectors", async () => {
    const site = newSite();
    const whole = eventRow({ site_id: site, pathname: "/whole", user_id: "u1" });
    const compact = compactRow(eventRow({ site_id: site, pathname: "/compact", city: "", screen_width: 0, props: {} }));
    expect(compact).not.toHaveProperty("city");
    expect(compact).not.toHaveProperty("props");
    expect(await deliver([whole, encodeMessage(compact)])).toMatchObject({ acked: 2, retried: 0 });
    const stored = await select<{ pathname: string; user_id: string; city: string; screen_width: number }>(
      "SELECT pathname, user_id, city, screen_width FROM events FINAL WHERE site_id = {site:String} ORDER BY pathname",
      site,
    );
    expect(stored).toEqual([
      { pathname: "/compact", user_id: "", city: "", screen_width: 0 },
      { pathname: "/whole", user_id: "u1", city: whole.city, screen_width: whole.screen_width },
    ]);
  });

  it("counts a batch delivered twice, and a single resent event, once", async () => {
    const site = newSite();
    const rows = rowsFor(site, 10);
    await deliver(rows);
    await deliver(rows, { attempts: 2 });
    await deliver([rows[3]!, eventRow({ site_id: site })]);
    expect(await countFor(site)).toEqual({ rows: 11, distinct: 11 });
  });

  it("adds no second block to sessions and pages when a batch is written again, whatever the server's default", async () => {
    // Older ClickHouse versions (as on many Cloud services) do not deduplicate blocks in the views' tables by default;
    // the compatibility setting gives the local server their defaults.
    const { url, username, password, database } = clickHouseConfigFromEnv(flusherEnv);
    const older = createClient({ url, username, password, database, clickhouse_settings: { compatibility: "25.8" } });
    const site = newSite();
    const rows = rowsFor(site, 3).map((row) => ({ ...row, pathname: "/same" }));
    try {
      await insertRows(older, EVENTS, rows);
      await insertRows(older, EVENTS, rows);
    } finally {
      await older.close();
    }
    const [parts] = await select<{ events: number; sessions: number; pages: number }>(
      `SELECT (SELECT count() FROM events WHERE site_id = {site:String}) AS events,
        (SELECT count() FROM sessions WHERE site_id = {site:String}) AS sessions,
        (SELECT count() FROM pages WHERE site_id = {site:String}) AS pages`,
      site,
    );
    expect(parts).toEqual({ events: 3, sessions: 1, pages: 1 });
  });

  it("retries every message when ClickHouse is unreachable", async () => {
    const site = newSite();
    const result = await deliver(rowsFor(site, 2), { target: DOWN, attempts: 3 });
    expect(result).toMatchObject({ acked: 0, retried: 2 });
    expect(await countFor(site)).toEqual({ rows: 0, distinct: 0 });
  });
});

describe("messages that can never be stored", () => {
  it("keeps schema-invalid messages in R2 under invalid/, acknowledges them, and stores the good ones beside them", async () => {
    const site = newSite();
    const good = rowsFor(site, 3);
    const poison = [{ ...eventRow({ site_id: site }), visitor_id: "not a number" }, "just a string", { kind: "drop", reason: "nope" }];
    const before = (await keptBatches("invalid")).length;
    const result = await deliver([good[0], ...poison, good[1], good[2]]);
    expect(result).toMatchObject({ acked: 6, retried: 0 });
    expect(await countFor(site)).toEqual({ rows: 3, distinct: 3 });
    const kept = await keptBatches("invalid");
    expect(kept).toHaveLength(before + 1);
    const newest = kept.find(({ batch }) => batch.messages.some((message) => message.body === "just a string"))!;
    expect(newest.batch.messages.map((message) => message.body)).toEqual(poison);
    expect(newest.batch.messages[0]!.error).toContain("visitor_id");
  });

  it("isolates a row ClickHouse refuses as data by halving the batch, and inserts all the others", async () => {
    const site = newSite();
    const rows = rowsFor(site, 9);
    const broken = { ...rows[6]!, screen_width: "wide" as unknown as number };
    const client = connectClickHouse(clickHouseConfigFromEnv(flusherEnv));
    const rejected = await insertIsolating(client, EVENTS, [...rows.slice(0, 6), broken, ...rows.slice(7)]);
    await client.close();
    expect(rejected.map(({ row }) => row)).toEqual([broken]);
    expect(rejected[0]!.error).toContain("screen_width");
    expect(await countFor(site)).toEqual({ rows: 8, distinct: 8 });
  });

  it("retries rather than sets aside when ClickHouse is merely unreachable", async () => {
    const client = connectClickHouse(clickHouseConfigFromEnv(DOWN));
    await expect(insertIsolating(client, EVENTS, rowsFor(newSite(), 2))).rejects.toThrow();
    await client.close();
  });
});

describe("dead letters", () => {
  const admin = (path: string, init: RequestInit = {}, token: string | null = ADMIN_TOKEN, hits?: Queue<QueueMessage>) =>
    worker.fetch(
      new Request(`https://flusher.internal${path}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} }) as never,
      { ...flusherEnv, PIXEL_ADMIN_TOKEN: ADMIN_TOKEN, ...(hits ? { HITS: hits } : {}) },
      createExecutionContext(),
    );

  /** Replays through the admin route and delivers what it sent, as the queue would. */
  async function replay(): Promise<{ replayed: { batches: number; messages: number }; sent: number }> {
    const sent: unknown[] = [];
    const queue = { sendBatch: async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)) };
    const response = await admin("/admin/dead-letters/replay", { method: "POST" }, ADMIN_TOKEN, queue as never);
    expect(response.status).toBe(200);
    if (sent.length) await deliver(sent);
    return { replayed: (await response.json()) as { batches: number; messages: number }, sent: sent.length };
  }

  it("keeps a dead-lettered batch in R2; a replay lands it once, even when part of it was stored before", async () => {
    const site = newSite();
    const rows = rowsFor(site, 12);
    await deliver(rows.slice(0, 4));
    const dead = await deliver(rows, { queue: "pixel-hits-dead" });
    expect(dead.ackAll).toBe(true);
    expect(await countFor(site)).toEqual({ rows: 4, distinct: 4 });
    const listing = (await (await admin("/admin/dead-letters")).json()) as { dead: string[] };
    expect(listing.dead.length).toBeGreaterThanOrEqual(1);

    const first = await replay();
    expect(first.replayed.messages).toBeGreaterThanOrEqual(12);
    expect(await countFor(site)).toEqual({ rows: 12, distinct: 12 });
    expect(await keptBatches("dead")).toEqual([]);

    const second = await replay();
    expect(second).toMatchObject({ replayed: { batches: 0, messages: 0 }, sent: 0 });
    expect(await countFor(site)).toEqual({ rows: 12, distinct: 12 });
  });

  it("replays dead letters of non-ASCII text in sends the queue takes: its 256,000-byte limit counts UTF-8 bytes", async () => {
    const site = newSite();
    // 100 hits of a Japanese site: about 3,200 bytes each as UTF-8, but 1,300 characters.
    const bodies = Array.from({ length: 100 }, (_, i) =>
      encodeMessage(compactRow(eventRow({ site_id: site, pathname: `/p/${i}`, title: "日本語のページ".repeat(42), query: `?q=${"検索".repeat(350)}` }))),
    );
    await keep(flusherEnv.KEPT, "dead", "pixel-hits-dead", bodies.map((body, i) => ({ id: `j${i}`, attempts: 10, body })));
    const sent: number[] = [];
    const queue = { sendBatch: (messages: { body: string }[]) => (sent.push(messages.length), flusherEnv.HITS.sendBatch(messages as never)) };
    const replayed = (await (await admin("/admin/dead-letters/replay", { method: "POST" }, ADMIN_TOKEN, queue as never)).json()) as { messages: number };
    expect(replayed.messages).toBe(100);
    expect(sent.length).toBeGreaterThan(1);
    expect(await keptBatches("dead")).toEqual([]);
  });

  it("keeps the dead-letter queue's own dead letters in R2, or writes them whole into an error line while R2 refuses", async () => {
    const site = newSite();
    const rows = rowsFor(site, 2);
    const kept = await deliver(rows, { queue: "pixel-hits-dead-final" });
    expect(kept.ackAll).toBe(true);
    const batches = await keptBatches("dead");
    expect(batches.some(({ batch }) => batch.queue === "pixel-hits-dead-final" && batch.messages.length === 2)).toBe(true);
    await flusherEnv.KEPT.delete(batches.map(({ key }) => key));

    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const refusing = { ...flusherEnv, KEPT: { put: () => Promise.reject(new Error("R2 is unavailable")) } as unknown as R2Bucket };
    try {
      expect(await deliver(rows, { queue: "pixel-hits-dead-final", target: refusing })).toMatchObject({ ackAll: true });
      const line = JSON.parse(String(errors.mock.calls.at(-1)![0]));
      expect(line).toMatchObject({ level: "error", count: 2, error: expect.stringContaining("R2 is unavailable") });
      expect(line.messages.map((message: { body: EventRow }) => message.body)).toEqual(rows);
    } finally {
      errors.mockRestore();
    }
  });

  it("refuses the admin routes without the right token, and keeps them off while no token is set", async () => {
    expect((await admin("/admin/dead-letters", {}, null)).status).toBe(401);
    expect((await admin("/admin/dead-letters", {}, "wrong-token-0123456789")).status).toBe(401);
    const off = await worker.fetch(
      new Request("https://flusher.internal/admin/dead-letters/replay", { method: "POST", headers: { authorization: "Bearer x" } }) as never,
      { ...flusherEnv, PIXEL_ADMIN_TOKEN: undefined },
      createExecutionContext(),
    );
    expect(off.status).toBe(503);
    expect(((await off.json()) as { error: string }).error).toContain("PIXEL_ADMIN_TOKEN");
  });
});

describe("drop counters", () => {
  const drop = (site: string, reason: DropMessage["reason"], hits: number): DropMessage => ({
    kind: "drop",
    drop_id: crypto.randomUUID(),
    timestamp: Date.parse("2026-11-28T12:00:00Z"),
    site_id: site,
    hostname: "shop.example",
    reason,
    detail: reason === "bot" ? "user_agent" : "",
    hits,
  });

  it("sums dropped hits per site, reason and day, counting a redelivered message once", async () => {
    const site = newSite();
    const drops = [drop(site, "bot", 2), drop(site, "bot", 1), drop(site, "invalid", 1), drop(site, "too_large", 1)];
    await deliver([...drops, eventRow({ site_id: site })]);
    await deliver([drops[0]], { attempts: 2 });
    const counted = await select<{ day: string; reason: string; hits: number }>(
      "SELECT toString(day) AS day, reason, toUInt32(sum(hits)) AS hits FROM dropped_hits FINAL WHERE site_id = {site:String} GROUP BY day, reason ORDER BY reason",
      site,
    );
    expect(counted).toEqual([
      { day: "2026-11-28", reason: "bot", hits: 3 },
      { day: "2026-11-28", reason: "invalid", hits: 1 },
      { day: "2026-11-28", reason: "too_large", hits: 1 },
    ]);
    expect(await countFor(site)).toEqual({ rows: 1, distinct: 1 });
  });
});

describe("packed messages from sharded queues", () => {
  /** One request's hits (and its store_full count) as the collector packs them. */
  const packed = (site: string, hits: number) => {
    const rows = rowsFor(site, hits);
    const lost: DropsMessage = { kind: "drops", drop_id: crypto.randomUUID(), timestamp: Date.now(), counts: [{ site_id: site, hostname: "shop.example", reason: "store_full", detail: "", hits: 2 }] };
    return { rows, bodies: packMessages([...rows.map(compactRow), lost]) };
  };
  const droppedFor = async (site: string) =>
    Number((await select<{ n: number }>("SELECT toUInt32(sum(hits)) AS n FROM dropped_hits FINAL WHERE site_id = {site:String}", site))[0]!.n);

  it("stores every hit of packs from several shards once, also when stored batches are delivered again", async () => {
    const site = newSite();
    const requests = Array.from({ length: 24 }, () => packed(site, 50));
    expect(requests.every(({ bodies }) => bodies.length === 1)).toBe(true);
    const shardOne = requests.slice(0, 12).flatMap(({ bodies }) => bodies);
    const shardTwo = requests.slice(12).flatMap(({ bodies }) => bodies);
    expect(await deliver(shardOne, { queue: "pixel-hits-1" })).toMatchObject({ acked: 12, retried: 0 });
    expect(await deliver(shardTwo, { queue: "pixel-hits-2" })).toMatchObject({ acked: 12, retried: 0 });
    // The acks were lost: both come again in one batch, with more event ids than one first-stored lookup takes.
    expect(await deliver([...shardOne, ...shardTwo], { queue: "pixel-hits-1", attempts: 2 })).toMatchObject({ acked: 24, retried: 0 });
    expect(await countFor(site)).toEqual({ rows: 1200, distinct: 1200 });
    expect(await droppedFor(site)).toBe(48);
  }, 30_000); // 2,400 rows through three batches: seconds on a busy machine

  it("retries a pack whole while ClickHouse is unreachable, and stores it once when it comes again", async () => {
    const site = newSite();
    const { bodies } = packed(site, 30);
    expect(await deliver(bodies, { target: DOWN })).toMatchObject({ acked: 0, retried: 1 });
    expect(await deliver(bodies, { attempts: 2 })).toMatchObject({ acked: 1, retried: 0 });
    expect(await countFor(site)).toEqual({ rows: 30, distinct: 30 });
  });

  it("keeps only a pack's invalid part in R2, stores its other hits and acknowledges the message", async () => {
    const site = newSite();
    const [first, second] = rowsFor(site, 2).map(compactRow);
    const poison = { ...compactRow(eventRow({ site_id: site })), visitor_id: "not a number" };
    const body = `[${[first, poison, second].map((part) => JSON.stringify(part)).join(",")}]`;
    expect(await deliver([body])).toMatchObject({ acked: 1, retried: 0 });
    expect(await countFor(site)).toEqual({ rows: 2, distinct: 2 });
    const kept = (await keptBatches("invalid")).find(({ batch }) => batch.messages.some((message) => (message.body as { site_id?: string } | null)?.site_id === site))!;
    expect(kept.batch.messages.map((message) => message.body)).toEqual([poison]);
    expect(kept.batch.messages[0]!.error).toContain("visitor_id");
  });

  it("keeps a plain JSON array that is not a pack of messages as invalid instead of storing part of it", async () => {
    expect(await deliver(["[]", "[1,2]"])).toMatchObject({ acked: 2, retried: 0 });
    const kept = (await keptBatches("invalid")).find(({ batch }) => batch.messages.some((message) => message.body === "[]"))!;
    expect(kept.batch.messages.map((message) => message.body)).toEqual(["[]", 1, 2]);
  });
});

describe("retry backoff", () => {
  it("doubles with each attempt and stops growing at five minutes", () => {
    expect([1, 2, 3, 8, 9, 20].map(retryDelaySeconds)).toEqual([2, 4, 8, 256, 300, 300]);
  });
});

describe("deleted site data stays deleted", { timeout: 30_000 }, () => {
  /** The api's side of a deletion runs as its data writer: the test setup's ClickHouse user where one is given. */
  async function asDataWriter(use: (client: ReturnType<typeof connectClickHouse>) => Promise<void>) {
    const { TEST_CLICKHOUSE_USER: user, TEST_CLICKHOUSE_PASSWORD: password } = env as { TEST_CLICKHOUSE_USER?: string; TEST_CLICKHOUSE_PASSWORD?: string };
    const client = connectClickHouse(clickHouseConfigFromEnv({ ...flusherEnv, ...(user ? { CLICKHOUSE_USER: user, CLICKHOUSE_PASSWORD: password } : {}) }));
    try {
      await use(client);
    } finally {
      await client.close();
    }
  }
  const stored = async (table: "events" | "dropped_hits", site: string) =>
    Number((await select<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL WHERE site_id = {site:String}`, site))[0]!.n);
  const drop = (site: string): DropMessage => ({
    kind: "drop", drop_id: crypto.randomUUID(), timestamp: Date.now() - 1000, site_id: site, hostname: "shop.example", reason: "bot", detail: "user_agent", hits: 2,
  });

  it("stores no hit of a deleted site, nor one stamped before its data was deleted, even when replayed from R2", async () => {
    const [gone, reset] = [newSite(), newSite()];
    await asDataWriter(async (client) => {
      await deleteSiteData(client, gone);
      await forgetSite(client, gone);
      await deleteSiteData(client, reset);
    });
    const before = eventRow({ site_id: reset, timestamp: Date.now() - 3_600_000 });
    const after = eventRow({ site_id: reset, timestamp: Date.now() + 60_000 });
    const late = { site_id: gone, timestamp: Date.now() + 60_000 }; // taken by a collector whose site cache is a minute old
    const bodies = [encodeMessage(eventRow(late)), encodeMessage(drop(gone)), encodeMessage(before), encodeMessage(after)];

    expect(await deliver(bodies)).toMatchObject({ acked: 4, retried: 0 });
    const replayed: unknown[] = [];
    await keep(flusherEnv.KEPT, "dead", "pixel-hits-dead", bodies.map((body, i) => ({ id: `d${i}`, attempts: 10, body })));
    await replayDeadLetters(flusherEnv.KEPT, { sendBatch: async (messages: { body: unknown }[]) => void replayed.push(...messages.map((m) => m.body)) } as never);
    expect(replayed).toEqual(expect.arrayContaining(bodies));
    await deliver(replayed);

    expect([await stored("events", gone), await stored("dropped_hits", gone), await stored("events", reset)]).toEqual([0, 0, 1]);
  }, 20_000); // three deletes (mutations) over every part the tests before it wrote: seconds on a busy machine

  it("takes a deleted site's hits out of the batches kept in R2 at the hourly run (also out of packs), and leaves the others' alone", async () => {
    const [gone, other] = [newSite(), newSite()];
    const keptOther = eventRow({ site_id: other });
    const keptOtherPacked = eventRow({ site_id: other });
    const mixed = await keep(flusherEnv.KEPT, "dead", "pixel-hits-dead", [
      { id: "a", attempts: 10, body: encodeMessage(eventRow({ site_id: gone })) },
      { id: "b", attempts: 10, body: keptOther },
      { id: "p", attempts: 10, body: packMessages([compactRow(eventRow({ site_id: gone })), compactRow(keptOtherPacked)])[0] },
    ]);
    const onlyGone = await keep(flusherEnv.KEPT, "invalid", "pixel-hits", [
      { id: "c", attempts: 1, body: JSON.stringify({ site_id: gone, visitor_id: "not a number" }), error: "visitor_id" },
    ]);
    await asDataWriter((client) => forgetSite(client, gone));

    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: FORGET_CRON }), flusherEnv);

    const left = await (await flusherEnv.KEPT.get(mixed!))!.json<KeptBatch>();
    expect(left.messages.map((message) => message.body)).toEqual([keptOther, JSON.stringify(compactRow(keptOtherPacked))]);
    expect((await flusherEnv.KEPT.head(mixed!))!.customMetadata).toEqual({ messages: "2" });
    expect(await flusherEnv.KEPT.get(onlyGone!)).toBeNull();
  });
});
