import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClickHouse, selectRows } from "@pixel/lib/clickhouse/client";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { type ClickHouseServer, startClickHouseServer } from "../clickhouse-server/server";
import { CUSTOM_EVENTS, generateTraffic } from "./traffic";

const EVENTS = 400_000;
/** Small inserts, so each stays well within the request timeout on a busy machine. */
const CHUNKS = 8;
// The client waits as long as a query may run (lib/clickhouse/client.ts): generating inserts are slow on a busy machine.
const LIMITS = { limits: { max_execution_time: 120 } };
const dataDir = mkdtempSync(join(tmpdir(), "pixel-traffic-test-"));
let server: ClickHouseServer;
let client: ReturnType<typeof connectClickHouse>;

beforeAll(async () => {
  server = await startClickHouseServer({ port: 0, dataDir });
  const config = { url: server.url, database: "pixel_traffic", ...LIMITS };
  await migrateClickHouse(config, () => {});
  client = connectClickHouse(config);
  await generateTraffic(client, { siteId: "big", hostname: "big.example", firstDay: "2026-05-01", days: 30, events: EVENTS, chunks: CHUNKS });
}, 300_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each check scans the 400,000 generated events; CI runs other files beside it.
describe("the benchmark's traffic", { timeout: 60_000 }, () => {
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
    // Each chunk's LIMIT may cut its last visit between a pageview and its engagement hit.
    expect(Math.abs(Number(shape!.engagements) - Number(shape!.pageviews))).toBeLessThanOrEqual(CHUNKS);
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
      // A new visitor id each day, but for yesterday's kept in the first half hour after midnight (VisitorBridge): those
      // hits are not counted as a day of their own.
      `SELECT count() AS users, countIf(days > 1) AS returning, countIf(days > 1 AND visitors >= days) AS newIdEachDay, avg(days) AS meanDays,
         (SELECT max(u) FROM (SELECT uniqExact(user_id) AS u FROM events GROUP BY visitor_id)) AS mostUsersOfAVisitor
       FROM (SELECT user_id, uniqExact(toDate(timestamp)) AS days, uniqExact(visitor_id) AS visitors
             FROM events JOIN (SELECT visitor_id, min(toDate(timestamp)) AS idDay FROM events GROUP BY visitor_id) AS ids USING visitor_id
             WHERE user_id != '' AND NOT (toDate(timestamp) = idDay + 1 AND timestamp < toDateTime64(toDate(timestamp), 3, 'UTC') + INTERVAL 30 MINUTE)
             GROUP BY user_id)`,
    );
    expect(Number(users!.mostUsersOfAVisitor)).toBe(1);
    expect(Number(users!.returning) / Number(users!.users)).toBeGreaterThan(0.5);
    expect(Number(users!.newIdEachDay)).toBe(Number(users!.returning));
    expect(Number(users!.meanDays)).toBeGreaterThan(2);
    expect(Number(users!.meanDays)).toBeLessThan(8);
  });

  it("has visits across UTC midnight, and visitors keeping yesterday's id for half an hour after it, as VisitorBridge does", async () => {
    const [sessions] = await selectRows<Record<string, number>>(
      client,
      `SELECT countIf(days = 2) AS acrossMidnight, countIf(days > 2) AS onMoreDays, countIf(longestGap >= 30 * 60000) AS withAGapOf30Minutes
       FROM (SELECT session_id, uniqExact(toDate(timestamp)) AS days,
               arrayMax(arrayDifference(arraySort(groupArray(toUnixTimestamp64Milli(timestamp))))) AS longestGap
             FROM events GROUP BY session_id)`,
    );
    expect(Number(sessions!.acrossMidnight)).toBeGreaterThan(10);
    expect(Number(sessions!.onMoreDays)).toBe(0);
    expect(Number(sessions!.withAGapOf30Minutes)).toBe(0);
    // A visitor id on two days: active in the last half hour of the first, and on the next only before 00:30.
    const [visitors] = await selectRows<Record<string, number>>(
      client,
      `SELECT uniqExactIf(visitor_id, lastDay > firstDay) AS onTwoDays,
         uniqExactIf(visitor_id, lastDay > firstDay AND toDate(visitStart) = lastDay) AS backForANewVisit,
         uniqExactIf(visitor_id, lastDay > firstDay + 1) AS pastTheNextDay,
         uniqExactIf(visitor_id, lastDay > firstDay AND toDate(timestamp) = firstDay AND timestamp >= toDateTime64(lastDay, 3, 'UTC') - INTERVAL 30 MINUTE) AS activeBeforeMidnight,
         countIf(toDate(timestamp) > firstDay AND timestamp >= toDateTime64(lastDay, 3, 'UTC') + INTERVAL 30 MINUTE) AS keptPastHalfPast
       FROM (SELECT visitor_id, timestamp, min(toDate(timestamp)) OVER (PARTITION BY visitor_id) AS firstDay,
               max(toDate(timestamp)) OVER (PARTITION BY visitor_id) AS lastDay, min(timestamp) OVER (PARTITION BY session_id) AS visitStart
             FROM events)`,
    );
    expect(Number(visitors!.onTwoDays)).toBeGreaterThan(10);
    expect(Number(visitors!.backForANewVisit)).toBeGreaterThan(10);
    expect(Number(visitors!.pastTheNextDay)).toBe(0);
    expect(Number(visitors!.activeBeforeMidnight)).toBe(Number(visitors!.onTwoDays));
    expect(Number(visitors!.keptPastHalfPast)).toBe(0);
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

  it("sends each custom event on its share of visits, inside the visit, with the props and revenue the tracker sends", async () => {
    const [custom] = await selectRows<Record<string, number>>(
      client,
      `SELECT uniqExact(session_id) AS visits,
         uniqExactIf(session_id, name = 'purchase') AS purchases, uniqExactIf(session_id, name = 'outbound') AS outbound,
         uniqExactIf(session_id, name = 'download') AS downloads, uniqExactIf(session_id, name = '404') AS notFound,
         countIf(name NOT IN ('pageview', 'engagement') AND (timestamp < first OR timestamp > last)) AS outsideTheirVisit,
         countIf(name NOT IN ('pageview', 'engagement') AND visitors > 1) AS inVisitsOfSeveralVisitors,
         countIf(name = 'purchase' AND (revenue_amount < 9 OR revenue_amount > 300 OR revenue_currency NOT IN ('USD', 'EUR'))) AS badPurchases,
         countIf(name = 'purchase' AND revenue_amount * 100 != floor(revenue_amount * 100)) AS fractionsOfCents,
         countIf(name = 'purchase' AND revenue_currency = 'EUR') / countIf(name = 'purchase') AS euroShare,
         countIf(name != 'purchase' AND (revenue_amount != 0 OR revenue_currency != '')) AS revenueElsewhere,
         countIf(name = 'outbound' AND NOT (startsWith(props['url'], concat('https://', props['domain'], '/')) AND props['text'] != '')) AS badOutbound,
         countIf(name = 'download' AND NOT (props['url'] = concat('https://big.example/files/', props['filename']) AND endsWith(props['filename'], concat('.', props['extension'])))) AS badDownloads,
         countIf(name = '404' AND (length(props) > 0 OR NOT startsWith(pathname, '/old/'))) AS bad404s,
         uniqExactIf(props['url'], name = 'outbound') AS outboundUrls, uniqExactIf(props['domain'], name = 'outbound') AS outboundHosts,
         uniqExactIf(props['url'], name = 'download') AS files, uniqExactIf(pathname, name = '404') AS missingPaths
       FROM events
       JOIN (SELECT session_id, min(timestamp) AS first, max(timestamp) AS last, uniqExact(visitor_id) AS visitors
             FROM events WHERE name IN ('pageview', 'engagement') GROUP BY session_id) AS visit USING session_id`,
    );
    const share = (key: string) => Number(custom![key]) / Number(custom!.visits);
    expect(share("purchases")).toBeCloseTo(CUSTOM_EVENTS.purchase, 2);
    expect(share("outbound")).toBeCloseTo(CUSTOM_EVENTS.outbound, 2);
    expect(share("downloads")).toBeCloseTo(CUSTOM_EVENTS.download, 2);
    expect(share("notFound")).toBeCloseTo(CUSTOM_EVENTS.notFound, 2);
    for (const key of ["outsideTheirVisit", "inVisitsOfSeveralVisitors", "badPurchases", "fractionsOfCents", "revenueElsewhere", "badOutbound", "badDownloads", "bad404s"]) {
      expect({ [key]: Number(custom![key]) }).toEqual({ [key]: 0 });
    }
    expect(Number(custom!.euroShare)).toBeCloseTo(0.1, 1);
    // Zipf tails, only partly drawn at 400k events.
    expect(Number(custom!.outboundUrls)).toBeGreaterThan(1_000);
    expect(Number(custom!.outboundHosts)).toBeGreaterThan(300);
    expect(Number(custom!.files)).toBeGreaterThan(300);
    expect(Number(custom!.missingPaths)).toBeGreaterThan(300);
  });

  it("puts a 404 on the page its visit landed on, and that page's pageview on the same missing path", async () => {
    const [landing] = await selectRows<Record<string, number>>(
      client,
      `SELECT count() AS notFound, countIf(entry = notFoundPath) AS onTheEntryPage
       FROM (SELECT session_id, argMinIf(pathname, timestamp, name = 'pageview') AS entry, anyIf(pathname, name = '404') AS notFoundPath
             FROM events GROUP BY session_id HAVING countIf(name = '404') > 0)`,
    );
    expect(Number(landing!.notFound)).toBeGreaterThan(0);
    expect(Number(landing!.onTheEntryPage)).toBe(Number(landing!.notFound));
  });

  it("has Zipf-shaped outbound links: the top URL far ahead of the 100th", async () => {
    const top = await selectRows<{ c: number }>(client, "SELECT count() AS c FROM events WHERE name = 'outbound' GROUP BY props['url'] ORDER BY c DESC LIMIT 100");
    expect(Number(top[0]!.c)).toBeGreaterThan(Number(top[99]!.c) * 20);
  });

  it("fills the sessions and pages tables through their views, as the flusher's inserts do", async () => {
    const [sessions] = await selectRows<{ n: number }>(client, "SELECT uniqExact(session_id) AS n FROM sessions");
    const [events] = await selectRows<{ n: number }>(client, "SELECT uniqExact(session_id) AS n FROM events");
    expect(Number(sessions!.n)).toBe(Number(events!.n));
  });
});

describe("many sites' traffic in one go", { timeout: 60_000 }, () => {
  it("draws each visit to one site by its weight, with exactly the stated number of events in all", async () => {
    const config = { url: server.url, database: "pixel_traffic_sites", ...LIMITS };
    await migrateClickHouse(config, () => {});
    const sites = connectClickHouse(config);
    try {
      const events = 30_000;
      const spreadOver = { siteIds: ["a", "b", "c"], weights: [4, 2, 1] };
      await generateTraffic(sites, { siteId: "", hostname: "sites.example", firstDay: "2026-05-17", days: 14, events, spreadOver });
      const counts = await selectRows<{ site_id: string; events: number }>(sites, "SELECT site_id, count() AS events FROM events GROUP BY site_id ORDER BY site_id");
      const [visits] = await selectRows<{ split: number }>(sites, "SELECT countIf(n > 1) AS split FROM (SELECT session_id, uniqExact(site_id) AS n FROM events GROUP BY session_id)");
      expect(counts.map((row) => row.site_id)).toEqual(spreadOver.siteIds);
      expect(counts.reduce((sum, row) => sum + Number(row.events), 0)).toBe(events);
      counts.forEach((row, i) => expect(Number(row.events) / events).toBeCloseTo(spreadOver.weights[i]! / 7, 1));
      expect(Number(visits!.split)).toBe(0);
    } finally {
      await sites.close();
    }
  }, 300_000);
});
