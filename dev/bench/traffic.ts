import type { ClickHouseClient } from "@clickhouse/client-web";

/**
 * One big site's month shaped like real traffic, generated inside ClickHouse (INSERT … SELECT FROM numbers()), so
 * 10 million events load in seconds and the sessions and pages views fill as they do from the flusher's inserts.
 * Paths, referrers and cities are Zipf-distributed (rank = ⌊N^u⌋, so rank r has weight ~1/r); visitors return within
 * their UTC day (the daily salt rotates the id at midnight); each visit has 1–10 pageviews, each with an engagement hit.
 * A visit's browser was first seen on a day of the month so far, its first page load came after a gap of up to a week.
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
}

export const TRAFFIC_SHAPE = { paths: 100_000, referrers: 2_000, cities: 1_500, countries: 120, browserVersions: 40, authors: 500 };

const BROWSERS = ["Chrome", "Safari", "Firefox", "Edge", "Samsung Internet", "Opera"];
const OSES = ["Windows", "iOS", "Android", "macOS", "Linux"];
const DEVICES = ["desktop", "mobile", "tablet"];
const SECTIONS = ["blog", "docs", "products", "help", "news", "shop", "forum", "guides"];

// u(k): a uniform number in [0, 1) drawn from the visit (or visitor) and a salt k.
const VISIT_SQL = `
WITH
  {seed:UInt64} AS seed,
  number AS visit,
  visit % {days:UInt32} AS day,
  (k) -> cityHash64(seed, visit, k) % 1000000 / 1000000 AS u,
  cityHash64(seed, day, cityHash64(seed, visit, 'who') % {visitorsPerDay:UInt64}) AS visitor,
  (k) -> cityHash64(visitor, k) % 1000000 / 1000000 AS vu,
  vu('signed') < {signedIn:Float64} AS signed_in,
  toUInt32(floor(pow({cities:UInt32}, vu('city')))) - 1 AS city_rank,
  toUInt32(floor(pow({referrers:UInt32}, u('ref')))) - 1 AS referrer_rank,
  u('direct') < 0.35 AS direct,
  least(10, 1 + toUInt8(floor(log(1 - u('depth')) / log(0.47)))) AS pageviews,
  toDateTime64({firstDay:Date}, 3, 'UTC') + toIntervalSecond(day * 86400 + toUInt32(u('start') * 86000)) AS started,
  cityHash64(seed, visit, 'session') AS session,
  toDate(started) AS visit_day,
  visit_day - toUInt32(floor(vu('age') * (day + 1))) AS first_seen
SELECT
  {site:String} AS site_id,
  started + toIntervalSecond(intDiv(hit, 2) * 40 + (hit % 2) * 25) AS timestamp,
  toString(cityHash64(seed, visit, hit)) AS event_id,
  if(hit % 2 = 0, 'pageview', 'engagement') AS name,
  visitor AS visitor_id,
  session AS session_id,
  {hostname:String} AS hostname,
  toUInt32(floor(pow({paths:UInt32}, cityHash64(seed, visit, intDiv(hit, 2), 'path') % 1000000 / 1000000))) - 1 AS path_rank,
  concat('/', {sections:Array(String)}[1 + path_rank % length({sections:Array(String)})], '/', toString(path_rank)) AS pathname,
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
  if(hit % 2 = 0, map('author', concat('Author ', toString(toUInt32(floor(pow({authors:UInt32}, cityHash64(seed, visit, intDiv(hit, 2), 'author') % 1000000 / 1000000))) - 1)), 'signed_in', if(signed_in, 'yes', 'no')), map()) AS props,
  if(signed_in, concat('user-', toString(cityHash64(visitor, 'user') % {users:UInt64})), '') AS user_id,
  first_seen AS first_visit,
  multiIf(hit > 1, visit_day, first_seen = visit_day, toDate(0), greatest(first_seen, visit_day - 1 - toUInt32(floor(u('gap') * 7)))) AS previous_visit
FROM numbers({from:UInt64}, {count:UInt64})
ARRAY JOIN range(toUInt8(pageviews * 2)) AS hit
LIMIT {events:UInt64}`;

const COLUMNS =
  "site_id, timestamp, event_id, name, visitor_id, session_id, hostname, pathname, referrer, referrer_host, channel, country, city, browser, browser_version, os, device_type, scroll_depth, engaged_ms, props, user_id, first_visit, previous_visit";

/** Mean events per visit: two hits per pageview, pageviews geometric with p = 0.53, capped at 10. */
const EVENTS_PER_VISIT = 3.8;
/** Visits per visitor within a day (returning visitors). */
const VISITS_PER_VISITOR = 1.3;
/** The share of visitors signed in (props.signed_in, user_id), and the days of the month a user comes back on, on average. */
const SIGNED_IN = 0.2;
const DAYS_PER_USER = 4;

export async function generateTraffic(client: ClickHouseClient, options: TrafficOptions): Promise<void> {
  const chunks = options.chunks ?? Math.max(1, Math.ceil(options.events / 100_000));
  const visits = Math.ceil(options.events / EVENTS_PER_VISIT);
  const visitsPerDay = visits / options.days;
  const shape = { ...TRAFFIC_SHAPE, sections: SECTIONS, browsers: BROWSERS, oses: OSES, devices: DEVICES };
  for (let chunk = 0; chunk < chunks; chunk++) {
    const events = Math.floor(options.events / chunks) + (chunk < options.events % chunks ? 1 : 0);
    // Half again as many visits as needed: LIMIT cuts at exactly `events`, and visit % days keeps the days even.
    const count = Math.ceil((events / EVENTS_PER_VISIT) * 1.5);
    await client.command({
      query: `INSERT INTO events (${COLUMNS}) SELECT ${COLUMNS} FROM (${VISIT_SQL})`,
      query_params: {
        ...shape,
        seed: options.seed ?? 7,
        site: options.siteId,
        hostname: options.hostname,
        firstDay: options.firstDay,
        days: options.days,
        visitorsPerDay: Math.max(1, Math.round(visitsPerDay / VISITS_PER_VISITOR)),
        signedIn: SIGNED_IN,
        users: Math.max(1, Math.round(((visitsPerDay / VISITS_PER_VISITOR) * options.days * SIGNED_IN) / DAYS_PER_USER)),
        from: chunk * 2 ** 32,
        count,
        events,
      },
    });
  }
}
