import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TEST_DATABASES } from "../../setup/databases";
import { until } from "../../support/poll";
import { droppedHits, pageview, sendHits, startPipeline, storedEvents, switchableProxy, type Pipeline, type Switch } from "./support";

let pipeline: Pipeline;
let clickHouse: Switch;

beforeAll(async () => {
  clickHouse = await switchableProxy(inject("clickHouseUrl"));
  pipeline = await startPipeline({ clickHouseUrl: clickHouse.url, database: TEST_DATABASES.ingestion });
});

afterAll(async () => {
  await pipeline?.stop();
  await clickHouse?.close();
});

describe("ClickHouse down while hits arrive", () => {
  it("takes 1,000 hits while ClickHouse refuses connections, and stores each exactly once after it returns", async () => {
    const stored = () => storedEvents(inject("clickHouseUrl"), TEST_DATABASES.ingestion, pipeline.siteId);
    clickHouse.down();
    const requests = Array.from({ length: 20 }, (_, r) => Array.from({ length: 50 }, (_, i) => pageview("shop.example", r * 50 + i)));
    const statuses = await Promise.all(requests.map((hits, r) => sendHits(pipeline.collectorUrl, hits, `203.0.113.${r + 1}`)));
    expect(statuses).toEqual(requests.map(() => 204));

    // Each request's 50 hits are one queue message (a pack): a batch or two, refused on the first try and on a retry.
    const refused = await until(async () => clickHouse.refused, (count) => count >= 2);
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(await stored()).toEqual({ rows: 0, distinct: 0 });

    clickHouse.up();
    const after = await until(stored, (count) => count.rows >= 1000);
    expect(after).toEqual({ rows: 1000, distinct: 1000 });
  });
});

describe("drop counters through the queue", () => {
  it("counts bot, invalid and oversized requests for the site in ClickHouse", async () => {
    const origin = { origin: "https://shop.example" };
    const statuses = [
      await sendHits(pipeline.collectorUrl, [pageview("shop.example", 1), pageview("shop.example", 2)], "203.0.113.50", { "user-agent": "Googlebot/2.1" }),
      await sendHits(pipeline.collectorUrl, "{broken", "203.0.113.51", origin),
      await sendHits(pipeline.collectorUrl, JSON.stringify({ ...pageview("shop.example", 3), title: "x".repeat(70_000) }), "203.0.113.52", origin),
    ];
    expect(statuses).toEqual([204, 400, 413]);
    const read = () => droppedHits(inject("clickHouseUrl"), TEST_DATABASES.ingestion, pipeline.siteId);
    expect(await until(read, (counts) => Object.keys(counts).length >= 3)).toEqual({ bot: 2, invalid: 1, too_large: 1 });
  });
});
