import type { ClickHouseClient } from "@clickhouse/client-web";

/**
 * One big site's month shaped like real traffic, generated inside ClickHouse (INSERT … SELECT FROM numbers()), so
 * 10 million events load in seconds and the sessions and pages views fill as they do from the flusher's inserts.
 * Paths, referrers and cities are Zipf-distributed (rank = ⌊N^u⌋, so rank r has weight ~1/r); visitors return within
 * their UTC day (the daily salt rotates the id at midnight); each visit has 1–10 pageviews, each with an engagement hit.
 * Visits start at any second of the day, so those begun in its last minutes run past midnight with their session and
 * visitor ids, as the collector's VisitorBridge keeps them; and a twentieth of the visits ending in the last half hour
 * before midnight (early enough) are followed, 30 minutes or more later, by a new visit in the first half hour after
 * it under yesterday's visitor id. A visitor id is thus on two days at most, on the second only before 00:30. A visit on
 * the last day that would run past its end is not generated.
 * A visit's browser was first seen on a day of the month so far, its first page load came after a gap of up to a week;
 * a hit after midnight of a page loaded before it carries no visit days (0), as the collector recalls none for it.
 * Some visits also send the custom events the analysis reports read (CUSTOM_EVENTS): a purchase with revenue, an
 * outbound link click, a file download and a 404 page, each on one of the visit's pages and a few seconds after it.
 * A fifth of the visitors are signed in: each carries a user id from a pool sized so a user comes back on about
 * four days of the month, each day with a new visitor id.
 * Every chunk is its own INSERT, leaving parts as batched inserts and background merges leave them.
 */
export interface TrafficOptions {
  siteId: string;
  hostname: string;
  /** First UTC day, YYYY-MM-DD. */
  firstDay: string;
  days: number;
  /** Exactly this many events land inside the days. */
  events: number;
  seed?: number;
  /** Inserts to spread the events over; each stays small enough for the client's request timeout. */
  chunks?: number;
  /**
   * Many sites' traffic in one go: each visit goes to one of these sites (instead of siteId) with the chance of its
   * weight, all under `hostname`. The total is exact, each site's share of it is drawn.
   */
  spreadOver?: { siteIds: string[]; weights: number[] };
}

export const TRAFFIC_SHAPE = { paths: 100_000, referrers: 2_000, cities: 1_500, countries: 120, browserVersions: 40, authors: 500 };

/**
 * The custom events, each on this share of visits (at most one of each kind per visit), and their Zipf-distributed
 * targets: outbound links to thousands of URLs on hundreds of hosts, downloads of a thousand files, 404s on two
 * thousand missing paths (the visit lands on one, as from a broken link). A tenth of the purchases are in EUR.
 */
export const CUSTOM_EVENTS = {
  purchase: 0.02,
  outbound: 0.08,
  download: 0.03,
  notFound: 0.015,
  outboundUrls: 5_000,
  outboundHosts: 800,
  files: 1_000,
  missingPaths: 2_000,
};
/** The hit numbers of a visit's custom events, after its pageview and engagement hits (even: engagement hits are odd). */
const PURCHASE = 100;
const OUTBOUND = 102;
const DOWNLOAD = 104;
const NOT_FOUND = 106;
const FILE_EXTENSIONS = ["pdf", "zip", "csv", "xlsx", "mp4", "dmg"];
/** A visit ends after 30 minutes without a hit (the tracker's session timeout), and VisitorBridge keeps yesterday's id as long after midnight. */
const SESSION_SECONDS = 30 * 60;
/** The longest visit, first hit to last: ten pages 40 s apart, the last one's engagement hit 25 s after it. */
const LONGEST_VISIT_SECONDS = 9 * 40 + 25;

const BROWSERS = ["Chrome", "Safari", "Firefox", "Edge", "Samsung Internet", "Opera"];
const OSES = ["Windows", "iOS", "Android", "macOS", "Linux"];
const DEVICES = ["desktop", "mobile", "tablet"];
const SECTIONS = ["blog", "docs", "products", "help", "news", "shop", "forum", "guides"];

// u(k): a uniform number in [0, 1) drawn from the visit (or visitor) and a salt k. Each number drawn is a visit (leg 0)
// and, if it ends in the last half hour before midnight, maybe the same visitor's new visit after it (leg 1, on the
// same site, its other draws its own: the visit number's top bit set). Times are seconds since firstDay's midnight.
const VISIT_SQL = `
WITH
  {seed:UInt64} AS seed,
  number AS drawn,
  drawn % {days:UInt32} AS day,
  (v, k) -> cityHash64(seed, v, k) % 1000000 / 1000000 AS uv,
  (v) -> least(10, 1 + toUInt8(floor(log(1 - uv(v, 'depth')) / log(0.47)))) AS depth,
  -- The offset of a visit's last hit: its last page's engagement hit (custom events come before it).
  (p) -> toInt64(p - 1) * 40 + 25 AS last_hit,
  toInt64(day + 1) * 86400 AS midnight,
  toInt64(day) * 86400 + toInt64(uv(drawn, 'start') * 86400) AS first_start,
  first_start + last_hit(depth(drawn)) AS first_end,
  day + 1 < {days:UInt32} AND first_end >= midnight - ${SESSION_SECONDS} AND first_end < midnight - ${LONGEST_VISIT_SECONDS}
    AND uv(drawn, 'returns') < {bridgedReturns:Float64} AS returns,
  (l) -> drawn + bitShiftLeft(toUInt64(l), 63) AS visit_of,
  (v) -> arrayFilter((h, share) -> uv(v, toString(h)) < share, [${PURCHASE}, ${OUTBOUND}, ${DOWNLOAD}, ${NOT_FOUND}], [{purchase:Float64}, {outbound:Float64}, {download:Float64}, {notFound:Float64}]) AS customs,
  (l) -> arrayMap(h -> (l, h), arrayConcat(range(toUInt8(depth(visit_of(l)) * 2)), customs(visit_of(l)))) AS hits_of,
  tupleElement(leg_hit, 1) AS leg,
  tupleElement(leg_hit, 2) AS hit,
  visit_of(leg) AS visit,
  (k) -> uv(visit, k) AS u,
  cityHash64(seed, day, cityHash64(seed, drawn, 'who') % {visitorsPerDay:UInt64}) AS visitor,
  (k) -> cityHash64(visitor, k) % 1000000 / 1000000 AS vu,
  vu('signed') < {signedIn:Float64} AS signed_in,
  toUInt32(floor(pow({cities:UInt32}, vu('city')))) - 1 AS city_rank,
  toUInt32(floor(pow({referrers:UInt32}, u('ref')))) - 1 AS referrer_rank,
  u('direct') < 0.35 AS direct,
  depth(visit) AS pageviews,
  -- The new visit starts at least 30 minutes after the first one's last hit (else it would be the same visit) and
  -- ends before 00:30, while VisitorBridge keeps yesterday's id.
  first_end + ${SESSION_SECONDS} - midnight AS earliest,
  ${SESSION_SECONDS} - last_hit(pageviews) AS latest,
  if(leg = 0, first_start, midnight + earliest + toInt64(u('start') * (latest - earliest))) AS start,
  toDateTime64({firstDay:Date}, 3, 'UTC') + toIntervalSecond(start) AS started,
  cityHash64(seed, visit, 'session') AS session,
  toDate({firstDay:Date}) + day AS visitor_day,
  visitor_day - toUInt32(floor(vu('age') * (day + 1))) AS first_seen,
  has(customs(visit), ${NOT_FOUND}) AS lands_on_404,
  (n, k) -> toUInt32(floor(pow(n, cityHash64(seed, visit, k) % 1000000 / 1000000))) - 1 AS zipf,
  -- When the hit's page loaded: pixel.js told the collector the browser's visit days then, remembered until midnight.
  started + toIntervalSecond(page * 40) AS loaded
SELECT
  if(empty({siteIds:Array(String)}), {site:String}, {siteIds:Array(String)}[arrayFirstIndex(c -> uv(drawn, 'site') < c, {siteShares:Array(Float64)})]) AS site_id,
  -- The pageview a hit belongs to: a custom event's is one of the visit's, a 404 is on the page the visit landed on.
  multiIf(hit < ${PURCHASE}, intDiv(hit, 2), hit = ${NOT_FOUND}, 0, cityHash64(seed, visit, hit, 'page') % pageviews) AS page,
  started + toIntervalSecond(page * 40 + if(hit < ${PURCHASE}, (hit % 2) * 25, 10 + hit - ${PURCHASE})) AS timestamp,
  toString(cityHash64(seed, visit, hit)) AS event_id,
  multiIf(hit = ${PURCHASE}, 'purchase', hit = ${OUTBOUND}, 'outbound', hit = ${DOWNLOAD}, 'download', hit = ${NOT_FOUND}, '404', hit % 2 = 0, 'pageview', 'engagement') AS name,
  visitor AS visitor_id,
  session AS session_id,
  {hostname:String} AS hostname,
  toUInt32(floor(pow({paths:UInt32}, cityHash64(seed, visit, page, 'path') % 1000000 / 1000000))) - 1 AS path_rank,
  if(lands_on_404 AND page = 0, concat('/old/', toString(zipf({missingPaths:UInt32}, '404 path'))),
    concat('/', {sections:Array(String)}[1 + path_rank % length({sections:Array(String)})], '/', toString(path_rank))) AS pathname,
  if(direct OR hit > 0, '', concat('https://ref', toString(referrer_rank), '.example/')) AS referrer,
  if(direct OR hit > 0, '', concat('ref', toString(referrer_rank), '.example')) AS referrer_host,
  multiIf(direct, 'direct', referrer_rank < 3, 'organic search', referrer_rank < 12, 'organic social', 'referral') AS channel,
  concat(char(65 + intDiv(city_rank % {countries:UInt32}, 26)), char(65 + city_rank % {countries:UInt32} % 26)) AS country,
  concat('City ', toString(city_rank)) AS city,
  {browsers:Array(String)}[1 + cityHash64(visitor, 'browser') % length({browsers:Array(String)})] AS browser,
  toString(100 + cityHash64(visitor, 'version') % {browserVersions:UInt32}) AS browser_version,
  {oses:Array(String)}[1 + cityHash64(visitor, 'os') % length({oses:Array(String)})] AS os,
  {devices:Array(String)}[1 + cityHash64(visitor, 'device') % length({devices:Array(String)})] AS device_type,
  if(hit % 2 = 1, toUInt8(cityHash64(seed, visit, hit, 'scroll') % 101), 0) AS scroll_depth,
  if(hit % 2 = 1, toUInt32(cityHash64(seed, visit, hit, 'engaged') % 120000), 0) AS engaged_ms,
  zipf({outboundUrls:UInt32}, 'outbound') AS link_rank,
  concat('out', toString(link_rank % {outboundHosts:UInt32}), '.example') AS link_host,
  zipf({files:UInt32}, 'file') AS file_rank,
  {extensions:Array(String)}[1 + file_rank % length({extensions:Array(String)})] AS extension,
  concat('report-', toString(file_rank), '.', extension) AS filename,
  multiIf(
    hit = ${OUTBOUND}, map('url', concat('https://', link_host, '/', toString(link_rank)), 'text', concat('Link ', toString(link_rank)), 'domain', link_host),
    hit = ${DOWNLOAD}, map('url', concat('https://', {hostname:String}, '/files/', filename), 'extension', extension, 'filename', filename),
    hit % 2 = 0 AND hit < ${PURCHASE}, map('author', concat('Author ', toString(toUInt32(floor(pow({authors:UInt32}, cityHash64(seed, visit, page, 'author') % 1000000 / 1000000))) - 1)), 'signed_in', if(signed_in, 'yes', 'no')),
    map()) AS props,
  -- Whole cents, skewed to small baskets: 9.00 to 300.00.
  if(hit = ${PURCHASE}, toDecimal64(900 + toUInt32(pow(u('amount'), 2) * 29100), 4) / 100, toDecimal64(0, 4)) AS revenue_amount,
  if(hit = ${PURCHASE}, if(u('currency') < 0.9, 'USD', 'EUR'), '') AS revenue_currency,
  if(signed_in, concat('user-', toString(cityHash64(visitor, 'user') % {users:UInt64})), '') AS user_id,
  -- A hit after midnight of a page loaded before it finds no visit days remembered under today's id: 0, as unknown.
  if(toDate(timestamp) > toDate(loaded), toDate(0), first_seen) AS first_visit,
  multiIf(toDate(timestamp) > toDate(loaded), toDate(0),
    -- The day of the page load before (for a custom event on the first page, that page's).
    hit > 1, toDate(started + toIntervalSecond(greatest(page, 1) * 40 - 40)),
    leg = 1, visitor_day,
    first_seen = visitor_day, toDate(0),
    greatest(first_seen, visitor_day - 1 - toUInt32(floor(u('gap') * 7)))) AS previous_visit
FROM numbers({from:UInt64}, {count:UInt64})
-- One ARRAY JOIN (ClickHouse allows no second): the hits of the visit and of the new visit after midnight, if any.
ARRAY JOIN arrayConcat(hits_of(0), if(returns, hits_of(1), [])) AS leg_hit
-- A visit on the last day that would run past its end is left out whole: every event lands inside the days.
WHERE start + last_hit(pageviews) < {days:UInt32} * 86400
LIMIT {events:UInt64}`;

const COLUMNS =
  "site_id, timestamp, event_id, name, visitor_id, session_id, hostname, pathname, referrer, referrer_host, channel, country, city, browser, browser_version, os, device_type, scroll_depth, engaged_ms, props, user_id, first_visit, previous_visit";

/** The custom events' columns, written beside COLUMNS. */
const CUSTOM_COLUMNS = "revenue_amount, revenue_currency";

/** Mean events per visit: two hits per pageview (pageviews geometric with p = 0.53, capped at 10), and the custom events. */
const EVENTS_PER_VISIT = 3.8 + CUSTOM_EVENTS.purchase + CUSTOM_EVENTS.outbound + CUSTOM_EVENTS.download + CUSTOM_EVENTS.notFound;
/** Visits per visitor within a day (returning visitors). */
const VISITS_PER_VISITOR = 1.3;
/** The share of visitors signed in (props.signed_in, user_id), and the days of the month a user comes back on, on average. */
const SIGNED_IN = 0.2;
const DAYS_PER_USER = 4;
/**
 * The share of the visits ending in the last half hour before midnight (early enough for another visit to fit before
 * 00:30) after which the visitor comes back, 30 minutes or more later, for a new visit in the first half hour after it.
 */
const BRIDGED_RETURNS = 0.05;

export async function generateTraffic(client: ClickHouseClient, options: TrafficOptions): Promise<void> {
  // Inserts of 100,000 events, fewer and larger past 10M (100M would leave thousands of parts to merge), each within
  // Node's fetch limit of 300 s for an answer's headers.
  const chunks = options.chunks ?? Math.max(1, Math.min(100, Math.ceil(options.events / 100_000)), Math.ceil(options.events / 500_000));
  const visits = Math.ceil(options.events / EVENTS_PER_VISIT);
  const visitsPerDay = visits / options.days;
  const shape = { ...TRAFFIC_SHAPE, ...CUSTOM_EVENTS, sections: SECTIONS, browsers: BROWSERS, oses: OSES, devices: DEVICES, extensions: FILE_EXTENSIONS };
  const columns = `${COLUMNS}, ${CUSTOM_COLUMNS}`;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const events = Math.floor(options.events / chunks) + (chunk < options.events % chunks ? 1 : 0);
    // Half again as many visits as needed: LIMIT cuts at exactly `events`, and number % days keeps the days even.
    const count = Math.ceil((events / EVENTS_PER_VISIT) * 1.5);
    await client.command({
      query: `INSERT INTO events (${columns}) SELECT ${columns} FROM (${VISIT_SQL})`,
      query_params: {
        ...shape,
        seed: options.seed ?? 7,
        site: options.siteId,
        ...spreadParams(options.spreadOver),
        hostname: options.hostname,
        firstDay: options.firstDay,
        days: options.days,
        visitorsPerDay: Math.max(1, Math.round(visitsPerDay / VISITS_PER_VISITOR)),
        signedIn: SIGNED_IN,
        bridgedReturns: BRIDGED_RETURNS,
        users: Math.max(1, Math.round(((visitsPerDay / VISITS_PER_VISITOR) * options.days * SIGNED_IN) / DAYS_PER_USER)),
        from: chunk * 2 ** 32,
        count,
        events,
      },
    });
  }
}

/** The sites a spread draws from, and each one's cumulative share of the visits (the last is 1). */
function spreadParams(spread: TrafficOptions["spreadOver"]): { siteIds: string[]; siteShares: number[] } {
  if (!spread) return { siteIds: [], siteShares: [] };
  const total = spread.weights.reduce((sum, weight) => sum + weight, 0);
  let sum = 0;
  return { siteIds: spread.siteIds, siteShares: spread.weights.map((weight, i) => (i === spread.weights.length - 1 ? 1 : (sum += weight) / total)) };
}
