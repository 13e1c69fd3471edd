import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEventBatches, prng, type TruthSite } from "@pixel/dev/ground-truth/generate";
import { trueAnswer } from "@pixel/dev/ground-truth/truth";
import type { ClickHouseEnv } from "@pixel/lib/clickhouse/client";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { consumeHits } from "@pixel/workers/flusher/src/consume";
import type { FlusherEnv } from "@pixel/workers/flusher/src/env";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { apiClickHouse } from "../clickhouse";
import { runQuery } from "./run";

/**
 * The flusher's store path under what a queue and a tracker really do: the same messages redelivered in other
 * batch compositions, and hits sent again with another server time (a hit without a client time is stamped when it
 * arrives), across an hour and across midnight. Each event counts once, as first stored, on every read path.
 * The flusher's part runs as the flusher's documented user (FLUSHER_CLICKHOUSE_USER, vitest.config.ts), with its settings.
 */
const truthEnv = env as unknown as { CLICKHOUSE_URL: string; TRUTH_CLICKHOUSE_DATABASE: string; FLUSHER_CLICKHOUSE_USER: string; FLUSHER_CLICKHOUSE_PASSWORD: string };
const flusherEnv = {
  CLICKHOUSE_URL: truthEnv.CLICKHOUSE_URL,
  CLICKHOUSE_DATABASE: truthEnv.TRUTH_CLICKHOUSE_DATABASE,
  CLICKHOUSE_USER: truthEnv.FLUSHER_CLICKHOUSE_USER,
  CLICKHOUSE_PASSWORD: truthEnv.FLUSHER_CLICKHOUSE_PASSWORD,
} as FlusherEnv;
/** The api's reader, on the truth database. */
const client = apiClickHouse({ ...(env as ClickHouseEnv), CLICKHOUSE_DATABASE: truthEnv.TRUTH_CLICKHOUSE_DATABASE });
const run = crypto.randomUUID().slice(0, 8);
const sites: TruthSite[] = [
  { id: `redelivery_${run}_utc`, domain: "utc.example", timezone: "UTC" },
  { id: `redelivery_${run}_berlin`, domain: "berlin.example", timezone: "Europe/Berlin" },
];
const range: [string, string] = ["2026-06-02", "2026-06-04"];
const HOUR = 3_600_000;
const firstVersions: EventRow[] = [];

/** One queue batch through the flusher's consumer; it must take every message. */
let delivered = 0;
async function deliver(rows: EventRow[]) {
  const batch = createMessageBatch<unknown>(
    "pixel-hits",
    rows.map((row) => ({ id: `m${++delivered}`, timestamp: new Date(), attempts: 1, body: JSON.stringify(row) })),
  );
  const ctx = createExecutionContext();
  await consumeHits(batch, flusherEnv);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(rows.length);
}

beforeAll(async () => {
  const random = prng(7);
  for (const batch of generateEventBatches({ seed: 7, sites, firstDay: "2026-06-01", days: 5, visitsPerSiteDay: 30 }, 500)) {
    firstVersions.push(...batch);
    await deliver(batch);
  }
  // Queue redelivery: in three rounds, a random 30% of the messages again, in batches of other sizes and order.
  for (let round = 0; round < 3; round++) {
    const again = firstVersions.filter(() => random() < 0.3).sort(() => random() - 0.5);
    for (let i = 0; i < again.length; ) {
      const size = 1 + Math.floor(random() * 150);
      await deliver(again.slice(i, i + size));
      i += size;
    }
  }
  // Resent hits stamped anew on arrival: the next hour, and the next UTC day with a new visitor id (the daily salt
  // changed) and so a new session.
  const pageviews = firstVersions.filter((row) => row.name === "pageview");
  const lateByAnHour = pageviews.filter((_, i) => i % 29 === 0).map((row) => ({ ...row, timestamp: row.timestamp + HOUR }));
  const nextDay = pageviews
    .filter((_, i) => i % 31 === 0)
    .map((row) => {
      const midnight = Math.ceil((row.timestamp + 1) / (24 * HOUR)) * 24 * HOUR;
      return { ...row, timestamp: midnight + 30_000, visitor_id: `9${row.visitor_id}`, session_id: `9${row.session_id}` };
    });
  await deliver(lateByAnHour);
  for (const row of nextDay) await deliver([row]);
}, 120_000);

afterAll(() => client.close());

// Filtered by visit too: pages read the matching visits' event rows, the chart their stored hours.
const NOT_GERMANY = [["is_not", "visit:country", ["DE"]]];
const QUERIES: [string[], string[], unknown[]?][] = [
  [[], ["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration"]],
  [["event:page"], ["visitors", "pageviews", "events"]],
  [["time:hour"], ["visitors", "pageviews", "events"]],
  [["time:day"], ["visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration"]],
  [["visit:entry_page"], ["visitors", "visits", "bounce_rate"]],
  [["visit:source"], ["visitors", "visits", "pageviews"]],
  [["event:page"], ["visitors", "pageviews", "events"], NOT_GERMANY],
  [["time:day"], ["visitors", "pageviews", "events"], NOT_GERMANY],
];

async function answer(site: TruthSite, metrics: string[], dimensions: string[], filters: unknown[], sessionsTable: boolean) {
  const input = v.parse(QueryBody, { site_id: site.id, metrics, date_range: range, dimensions, filters });
  const query = normalizeQuery(input, { timezone: site.timezone, createdAt: new Date("2026-01-01") });
  const { results } = await runQuery(client, query, { timezone: site.timezone, goals: [], sessionsTable });
  return [...results].sort((a, b) => JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));
}

describe("redelivered and resent hits count once, as first stored", () => {
  it.each(sites.flatMap((site) => ["sessions and pages tables", "events FINAL"].map((path) => [site.timezone, path, site] as const)))(
    "%s, %s: every answer equals the truth of the first versions",
    async (_, path, site) => {
      for (const [dimensions, metrics, filters = []] of QUERIES) {
        const expected = trueAnswer(firstVersions, site.id, site.timezone, [], { metrics, dimensions, filters: filters as never, date_range: range });
        const sorted = [...expected].sort((a, b) => JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));
        const label = `${dimensions.join("+") || "totals"} ${JSON.stringify(filters)}`;
        expect(await answer(site, metrics, dimensions, filters, path !== "events FINAL"), label).toEqual(sorted);
      }
    },
    60_000,
  );
});
