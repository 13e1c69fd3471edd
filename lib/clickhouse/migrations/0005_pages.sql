-- One row per site, UTC hour and page path: the inputs of the top pages (an event:page breakdown of visitors,
-- pageviews and events), fed by a materialized view on every insert into events, like sessions (0004_sessions.sql).
-- Reading it replaces a scan of every event of the range with a few rows per hour and page.
-- Every column is an idempotent SimpleAggregateFunction (sets of ids, a max), so a hit stored twice changes nothing;
-- read FINAL, each event sits in exactly one row (its hour and path), so the sets' lengths add up across hours.
-- Event ids are stored as sipHash64(name, event_id): within an hour this is the events table's key (site, day,
-- name, event_id), and 8 bytes read faster than the id string (measured). Two distinct events of one row would
-- have to collide in 64 bits to be counted once: for n events of one site, hour and path the chance is about
-- n² / 2^65, under 1e-7 even at a million pageviews of one page in one hour.
CREATE TABLE IF NOT EXISTS pages
(
    site_id        LowCardinality(String),
    hour           DateTime('UTC'),
    pathname       String CODEC(ZSTD(3)),
    visitor_ids    SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    pageview_ids   SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    event_ids      SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    retention_days SimpleAggregateFunction(max, UInt16)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, pathname)
TTL hour + toIntervalHour(1) + toIntervalDay(retention_days) WHERE retention_days > 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS pages_mv TO pages AS
SELECT
    site_id,
    toStartOfHour(timestamp) AS hour,
    pathname,
    groupUniqArray(visitor_id) AS visitor_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name = 'pageview') AS pageview_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name != 'engagement') AS event_ids,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, hour, pathname;

-- Existing installs: fill from the events already stored. Hits that arrive while this runs may reach the table
-- through both the view and this INSERT; the columns are idempotent, so that counts them once.
INSERT INTO pages
SELECT
    site_id,
    toStartOfHour(timestamp) AS hour,
    pathname,
    groupUniqArray(visitor_id) AS visitor_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name = 'pageview') AS pageview_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name != 'engagement') AS event_ids,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, hour, pathname;
