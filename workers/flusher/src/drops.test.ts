import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clickHouseConfigFromEnv, connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { type DropsMessage, encodeMessage } from "@pixel/lib/events/message";
import worker, { type FlusherEnv } from "./index";

const flusherEnv = env as unknown as FlusherEnv;

async function deliver(body: DropsMessage) {
  const batch = createMessageBatch<unknown>("pixel-hits", [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: encodeMessage(body) }]);
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, flusherEnv);
  return getQueueResult(batch, ctx);
}

describe("a request's drop counts in one message", () => {
  it("stores a row per count, acknowledges the message once, and counts a redelivery once", async () => {
    const site = `site_${crypto.randomUUID()}`;
    const message: DropsMessage = {
      kind: "drops",
      drop_id: crypto.randomUUID(),
      timestamp: Date.parse("2026-11-28T12:00:00Z"),
      counts: [
        { site_id: site, hostname: "shop.example", reason: "bot", detail: "user_agent", hits: 2 },
        { site_id: site, hostname: "staging.shop.example", reason: "unknown_site", detail: "", hits: 3 },
        { site_id: site, hostname: "shop.example", reason: "shield", detail: "path", hits: 1 },
        { site_id: site, hostname: "shop.example", reason: "pii_user_id", detail: "phone", hits: 4 },
      ],
    };
    const first = await deliver(message);
    expect(first.explicitAcks).toHaveLength(1);
    expect(first.retryMessages).toHaveLength(0);
    await deliver(message);
    const client = connectClickHouse(clickHouseConfigFromEnv(flusherEnv));
    try {
      const rows = await selectRows<{ reason: string; hits: number }>(
        client,
        "SELECT reason, toUInt32(sum(hits)) AS hits FROM dropped_hits FINAL WHERE site_id = {site:String} GROUP BY reason ORDER BY reason",
        { site },
      );
      expect(rows).toEqual([
        { reason: "bot", hits: 2 },
        { reason: "pii_user_id", hits: 4 },
        { reason: "shield", hits: 1 },
        { reason: "unknown_site", hits: 3 },
      ]);
    } finally {
      await client.close();
    }
  });
});
