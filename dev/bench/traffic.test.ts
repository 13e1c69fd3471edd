import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { type ClickHouseServer, startClickHouseServer } from "../clickhouse-server/server";
import { generateTraffic } from "./traffic";

const EVENTS = 400_000;
const dataDir = mkdtempSync(join(tmpdir(), "pixel-traffic-test-"));
let server: ClickHouseServer;
let client: ReturnType<typeof connectClickHouse>;

beforeAll(async () => {
  server = await startClickHouseServer({ port: 0, dataDir });
  const config = { url: server.url, database: "pixel_traffic" };
  await migrateClickHouse(config, () => {});
  client = connectClickHouse(config);
  await generateTraffic(client, { siteId: "big", hostname: "big.example", firstDay: "2026-05-01", days: 30, events: EVENTS, chunks: 4 });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the benchmark's traffic", () => {
  it("puts exactly the stated number of events inside the 30 days, on every day, with realistic cardinalities", async () => {
    const [shape] = await selectRows<Record<string, number>>(
      client,
      `SELECT count() AS events, countIf(toDate(timestamp) BETWEEN '2026-05-01' AND '2026-05-30') AS inRange,
         uniqExact(toDate(timestamp)) AS days, min(c) AS quietestDay,
         uniqExactIf(pathname, name = 'pageview') AS paths, uniqExact(referrer_host) AS referrers, uniqExact(city) AS cities,
         uniqExact(country) AS countries, uniqExact(browser_version) AS browserVersions,
         countIf(name = 'engagement') AS engagements, countIf(name = 'pageview') AS pageviews
       FROM events LEFT JOIN (SELECT toDate(timestamp) AS d, count() AS c FROM events GROUP BY d) AS perDay ON toDate(timestamp) = perDay.d`,
    );
    expect(Number(shape!.events)).toBe(EVENTS);
    expect(Number(shape!.inRange)).toBe(EVENTS);
    expect(Number(shape!.days)).toBe(30);
    expect(Number(shape!.quietestDay)).toBeGreaterThan((EVENTS / 30) * 0.9);
    // At 400k events the Zipf tail is only partly drawn; 10M events draw >= 20k distinct paths.
    expect(Number(shape!.paths)).toBeGreaterThan(10_000);
    expect(Number(shape!.referrers)).toBeGreaterThanOrEqual(1_000);
    expect(Number(shape!.cities)).toBeGreaterThanOrEqual(1_000);
    expect(Number(shape!.countries)).toBeGreaterThanOrEqual(100);
    expect(Number(shape!.browserVersions)).toBeGreaterThanOrEqual(20);
    expect(Math.abs(Number(shape!.engagements) - Number(shape!.pageviews))).toBeLessThanOrEqual(1);
  });

  it("gives every pageview custom properties, an author of hundreds and signed_in, and engagement hits none", async () => {
    const [props] = await selectRows<Record<string, number>>(
      client,
      `SELECT countIf(name = 'pageview' AND mapContains(props, 'author') AND mapContains(props, 'signed_in')) AS withProps,
         countIf(name = 'pageview') AS pageviews, countIf(name = 'engagement' AND length(props) > 0) AS engagementsWithProps,
         uniqExact(props['author']) AS authors
       FROM events`,
    );
    expect(Number(props!.withProps)).toBe(Number(props!.pageviews));
    expect(Number(props!.engagementsWithProps)).toBe(0);
    expect(Number(props!.authors)).toBeGreaterThan(300);
  });

  it("gives signed-in visitors a user id, one per visitor, and users come back on later days with new visitor ids", async () => {
    const [signedIn] = await selectRows<Record<string, number>>(
      client,
      `SELECT countIf(name = 'pageview') AS pageviews, countIf(name = 'pageview' AND user_id != '') AS signedIn,
         countIf(name = 'pageview' AND (user_id != '') != (props['signed_in'] = 'yes')) AS mismatched
       FROM events`,
    );
    expect(Number(signedIn!.mismatched)).toBe(0);
    expect(Number(signedIn!.signedIn) / Number(signedIn!.pageviews)).toBeGreaterThan(0.15);
    expect(Number(signedIn!.signedIn) / Number(signedIn!.pageviews)).toBeLessThan(0.25);
    const [users] = await selectRows<Record<string, number>>(
      client,
      `SELECT count() AS users, countIf(days > 1) AS returning, countIf(days > 1 AND visitors >= days) AS newIdEachDay, avg(days) AS meanDays,
         (SELECT max(u) FROM (SELECT uniqExact(user_id) AS u FROM events GROUP BY visitor_id)) AS mostUsersOfAVisitor
       FROM (SELECT user_id, uniqExact(toDate(timestamp)) AS days, uniqExact(visitor_id) AS visitors FROM events WHERE user_id != '' GROUP BY user_id)`,
    );
    expect(Number(users!.mostUsersOfAVisitor)).toBe(1);
    expect(Number(users!.returning) / Number(users!.users)).toBeGreaterThan(0.5);
    expect(Number(users!.newIdEachDay)).toBe(Number(users!.returning));
    expect(Number(users!.meanDays)).toBeGreaterThan(2);
    expect(Number(users!.meanDays)).toBeLessThan(8);
  });

  it("has Zipf-shaped paths: the top path far ahead of the 100th", async () => {
    const top = await selectRows<{ c: number }>(client, "SELECT count() AS c FROM events WHERE name = 'pageview' GROUP BY pathname ORDER BY c DESC LIMIT 100");
    expect(Number(top[0]!.c)).toBeGreaterThan(Number(top[99]!.c) * 20);
  });

  it("has returning visitors within a day and 1–10 pageviews per visit", async () => {
    const [visits] = await selectRows<Record<string, number>>(
      client,
      `SELECT uniqExact(session_id) AS visits, uniqExact(visitor_id) AS visitors, min(p) AS fewest, max(p) AS most, avg(p) AS mean
       FROM (SELECT session_id, any(visitor_id) AS visitor_id, countIf(name = 'pageview') AS p FROM events GROUP BY session_id HAVING p > 0)`,
    );
    expect(Number(visits!.visits) / Number(visits!.visitors)).toBeGreaterThan(1.1);
    expect(Number(visits!.fewest)).toBe(1);
    expect(Number(visits!.most)).toBe(10);
    expect(Number(visits!.mean)).toBeGreaterThan(1.5);
  });

  it("fills the sessions and pages tables through their views, as the flusher's inserts do", async () => {
    const [sessions] = await selectRows<{ n: number }>(client, "SELECT uniqExact(session_id) AS n FROM sessions");
    const [events] = await selectRows<{ n: number }>(client, "SELECT uniqExact(session_id) AS n FROM events");
    expect(Number(sessions!.n)).toBe(Number(events!.n));
  });
});
