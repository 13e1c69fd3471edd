import { describe, expect, it } from "vitest";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { eventRow } from "@pixel/test/support/event-row";
import { apiEnv } from "@pixel/test/support/workers/api";
import { clickHouse } from "@pixel/test/support/workers/api-data";
import worker from "../../index";
import { ROLLUP_CRON } from "./job";

// Days older than any other test's, and a cron run as of shortly after they fell due: only they are due then.
const DAYS = ["2020-01-05", "2020-01-06"];
const RUN_AT = Date.parse("2020-01-09T02:00:00Z");
const cron = (env = apiEnv) => worker.scheduled({ scheduledTime: RUN_AT, cron: ROLLUP_CRON }, env);

async function rolled(site: string): Promise<{ day: string; visitors: number }[]> {
  const client = clickHouse();
  try {
    const rows = await selectRows<{ day: string; visitors: number }>(
      client,
      "SELECT toString(day) AS day, visitors FROM day_visits WHERE site_id = {site:String} AND dimension = '' ORDER BY day",
      { site },
    );
    return rows.map((row) => ({ day: row.day, visitors: Number(row.visitors) }));
  } finally {
    await client.close();
  }
}

describe("the api's hourly cron rolls up due days", { timeout: 60_000 }, () => {
  it("as the data writer; without one that may insert it rolls nothing and does not fail", async () => {
    const site = `rolled_${crypto.randomUUID().slice(0, 8)}`;
    const client = clickHouse();
    await insertEvents(client, DAYS.map((day, i) => eventRow({ site_id: site, timestamp: Date.parse(`${day}T10:00:00Z`), session_id: String(i + 1) })));
    await client.close();

    await expect(cron({ ...apiEnv, CLICKHOUSE_WRITE_PASSWORD: "not-the-password" })).resolves.toBeUndefined();
    expect(await rolled(site)).toEqual([]);

    await cron();
    expect(await rolled(site)).toEqual(DAYS.map((day) => ({ day, visitors: 1 })));
  });
});
