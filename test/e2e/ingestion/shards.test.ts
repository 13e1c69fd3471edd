import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TEST_DATABASES } from "../../setup/databases";
import { until } from "../../support/poll";
import { pageview, sendHits, startPipeline, storedEvents, switchableProxy, type Pipeline, type Switch } from "./support";

/**
 * The collector and flusher as the deploy generates them for four hits queues (PIXEL_QUEUE_SHARDS=4), in one workerd:
 * a hit lands only if the shard its visitor hashes to has a consumer, so every hit landing proves every shard is consumed.
 */
const SHARDS = 4;
let pipeline: Pipeline;
let clickHouse: Switch;

beforeAll(async () => {
  clickHouse = await switchableProxy(inject("clickHouseUrl"));
  pipeline = await startPipeline({ clickHouseUrl: clickHouse.url, database: TEST_DATABASES.ingestion, domain: "sharded.example", queueShards: SHARDS });
});

afterAll(async () => {
  await pipeline?.stop();
  await clickHouse?.close();
});

const stored = () => storedEvents(inject("clickHouseUrl"), TEST_DATABASES.ingestion, pipeline.siteId);

/** `visitors` requests of `hits` hits each, every request from its own address (visitor). */
const requestsOf = (visitors: number, hits: number, from: number) =>
  Array.from({ length: visitors }, (_, v) => Array.from({ length: hits }, (_, i) => pageview("sharded.example", from + v * hits + i)));
const send = (requests: unknown[][], offset = 0) =>
  Promise.all(requests.map((hits, v) => sendHits(pipeline.collectorUrl, hits, `198.51.${100 + ((v + offset) >> 8)}.${(v + offset) & 255}`)));

describe(`ingestion over ${SHARDS} hits queues`, () => {
  it("lands each hit of 200 visitors exactly once, resends included", async () => {
    const requests = requestsOf(200, 5, 0);
    expect(await send(requests)).toEqual(requests.map(() => 204));
    // pixel.js sends a request again when it saw no answer: the same event ids, from the same visitor.
    expect(await send(requests.slice(0, 40))).toEqual(requests.slice(0, 40).map(() => 204));
    expect(await until(stored, (count) => count.rows >= 1000)).toEqual({ rows: 1000, distinct: 1000 });
  });

  it("keeps every shard's hits while ClickHouse is down, and stores each once from the redelivered batches", async () => {
    clickHouse.down();
    const requests = requestsOf(100, 10, 10_000);
    expect(await send(requests, 300)).toEqual(requests.map(() => 204));
    expect(await until(async () => clickHouse.refused, (count) => count >= SHARDS)).toBeGreaterThanOrEqual(SHARDS);
    expect(await stored()).toEqual({ rows: 1000, distinct: 1000 });
    clickHouse.up();
    expect(await until(stored, (count) => count.rows >= 2000)).toEqual({ rows: 2000, distinct: 2000 });
  });
});
