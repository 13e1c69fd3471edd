import { describe, expect, it } from "vitest";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { eventRow } from "@pixel/test/support/event-row";
import { apiEnv } from "@pixel/test/support/workers/api";
import { clickHouse } from "@pixel/test/support/workers/api-data";
import worker from "../../index";

const DAY = 86_400_000;
const cron = (scheduledTime: number, env = apiEnv) => worker.scheduled({ scheduledTime, cron: "*/5 * * * *" }, env);

async function rolls(): Promise<number> {
  const client = clickHouse();
  try {
    const [row] = await selectRows<{ n: number }>(client, "SELECT count() AS n FROM day_rolls");
    return Number(row!.n);
  } finally {
    await client.close();
  }
}

describe("the api's cron rolls up due days", { timeout: 60_000 }, () => {
  it("as the data writer; without one that may insert it rolls nothing and does not fail", async () => {
    const now = Date.now();
    const client = clickHouse();
    // Days the cron has not seen: a site of its own, newer than any other test's past days, so it comes first.
    const site = `rolled_${crypto.randomUUID().slice(0, 8)}`;
    await insertEvents(client, [3, 4].map((ago) => eventRow({ site_id: site, timestamp: now - ago * DAY, session_id: String(ago) })));
    await client.close();

    const before = await rolls();
    await expect(cron(now, { ...apiEnv, CLICKHOUSE_WRITE_PASSWORD: "not-the-password" })).resolves.toBeUndefined();
    expect(await rolls()).toBe(before);

    await cron(now);
    const reader = clickHouse();
    try {
      const rolled = await selectRows<{ day: string; visitors: number }>(
        reader,
        "SELECT toString(day) AS day, visitors FROM day_visits WHERE site_id = {site:String} AND dimension = '' ORDER BY day",
        { site },
      );
      expect(rolled.map((row) => Number(row.visitors))).toEqual([1, 1]);
    } finally {
      await reader.close();
    }
  });
});
