-- Daily rollups (docs/schema.md, "Daily rollups"): per site and UTC day, the overview's sums for each visit
-- dimension value and each page, as a query over that day alone answers them. A range of whole rolled days adds
-- them up, and reads raw only what adding up would count twice: visits and visitor ids that cross one of its
-- internal UTC midnights, and the parts of the range no valid roll covers.

-- The last time each site's UTC hour received an insert. A day's roll reads its hours and the hour either side of it
-- (for what crosses its midnights): an insert into any of them after the roll makes it stale, and the day is read raw.
CREATE TABLE IF NOT EXISTS hour_writes
(
    site_id LowCardinality(String),
    hour    DateTime('UTC'),
    written SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS hour_writes_mv TO hour_writes AS
SELECT site_id, toStartOfHour(timestamp) AS hour, max(now64(3)) AS written
FROM events
GROUP BY site_id, hour;

INSERT INTO hour_writes SELECT site_id, toStartOfHour(timestamp) AS hour, now64(3) AS written FROM events GROUP BY site_id, hour;

-- One row per finished roll of a site's day, written after its rows: rows without one are a roll that did not finish.
-- `rolled_at` is taken before the roll reads anything, so an insert during the roll makes it stale. `raw`: the day
-- holds visitor ids that are not the collector's daily ones (imported Umami sessions), so it is not rolled up.
CREATE TABLE IF NOT EXISTS day_rolls
(
    site_id        LowCardinality(String),
    day            Date,
    rolled_at      DateTime64(3, 'UTC'),
    raw            UInt8,
    retention_days UInt16
)
ENGINE = MergeTree
ORDER BY (site_id, day, rolled_at)
TTL toDateTime(day) + toIntervalDay(1) + toIntervalDay(retention_days) WHERE retention_days > 0;

-- What adding days up would count twice, as a roll of a day found it at the midnights before and after the day:
-- 'session': a visit with rows on both sides of one; 'visitor': a visitor id with rows on both sides of one, or in
-- such a visit; 'candidate': the day's visits that hold such an id (they need reading raw to correct the sum);
-- 'page': such an id with a pageview of `pathname` on the day.
CREATE TABLE IF NOT EXISTS day_crossers
(
    site_id        LowCardinality(String),
    day            Date,
    rolled_at      DateTime64(3, 'UTC'),
    kind           Enum8('session' = 1, 'visitor' = 2, 'candidate' = 3, 'page' = 4),
    id             UInt64,
    pathname       String CODEC(ZSTD(3)),
    retention_days UInt16
)
ENGINE = MergeTree
ORDER BY (site_id, day, rolled_at, kind, id)
TTL toDateTime(day) + toIntervalDay(1) + toIntervalDay(retention_days) WHERE retention_days > 0;

-- The day's piece of each candidate visit, as readers need it to put the visit together across days without reading
-- the sessions table: its crossing visitor ids, sums, first and last times, and each visit dimension's (time, value)
-- ('' for the totals).
CREATE TABLE IF NOT EXISTS day_pieces
(
    site_id        LowCardinality(String),
    day            Date,
    rolled_at      DateTime64(3, 'UTC'),
    session_id     UInt64,
    whole_ids      Array(UInt64),
    started        DateTime64(3, 'UTC'),
    ended          DateTime64(3, 'UTC'),
    pageviews      UInt64,
    events         UInt64,
    interactions   UInt64,
    pairs          Map(LowCardinality(String), Tuple(DateTime64(3, 'UTC'), String)),
    retention_days UInt16
)
ENGINE = MergeTree
ORDER BY (site_id, day, rolled_at, session_id)
TTL toDateTime(day) + toIntervalDay(1) + toIntervalDay(retention_days) WHERE retention_days > 0;

-- A roll's sums per dimension ('' for the totals, 'event:page' for pages, a visit dimension) and value. Rows of an
-- earlier roll of the same day stay until their TTL; readers take the latest valid roll's rows only.
CREATE TABLE IF NOT EXISTS day_visits
(
    site_id          LowCardinality(String),
    dimension        LowCardinality(String),
    day              Date,
    rolled_at        DateTime64(3, 'UTC'),
    value            String CODEC(ZSTD(3)),
    visitors         UInt64,
    visits           UInt64,
    pageviews        UInt64,
    events           UInt64,
    session_pageviews UInt64,
    bounces          UInt64,
    duration_ms      Int64,
    retention_days   UInt16
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site_id, dimension, day, rolled_at, value)
TTL toDateTime(day) + toIntervalDay(1) + toIntervalDay(retention_days) WHERE retention_days > 0;
