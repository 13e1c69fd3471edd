-- One row per site, page path, UTC hour and visit: the pages table's sums (0005_pages.sql) split by visit, sorted by
-- path. A page filter reads one path's key range here, where the events table has every event's path to compare
-- (the visits of one page of a 10M-event month: 1.3 s from events); a visit filter tests one narrow row per visit and
-- page against the matching visits, where the events table has every event to test and merge. The columns are the
-- pages table's idempotent id sets, so readers count distinct ids across rows and never need FINAL.
CREATE TABLE IF NOT EXISTS page_visits
(
    site_id        LowCardinality(String),
    pathname       String CODEC(ZSTD(3)),
    hour           DateTime('UTC'),
    session_id     UInt64,
    visitor_ids    SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    pageview_ids   SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    event_ids      SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    retention_days SimpleAggregateFunction(max, UInt16),
    INDEX hour_range hour TYPE minmax GRANULARITY 1
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, pathname, hour, session_id)
TTL hour + toIntervalHour(1) + toIntervalDay(retention_days) WHERE retention_days > 0
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS page_visits_mv TO page_visits AS
SELECT
    site_id,
    pathname,
    toStartOfHour(timestamp) AS hour,
    session_id,
    groupUniqArray(visitor_id) AS visitor_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name = 'pageview') AS pageview_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name != 'engagement') AS event_ids,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, pathname, hour, session_id;

-- Existing installs: fill from the events already stored. Hits that arrive while this runs may reach the table
-- through both the view and this INSERT; the columns are idempotent, so that counts them once.
INSERT INTO page_visits
SELECT
    site_id,
    pathname,
    toStartOfHour(timestamp) AS hour,
    session_id,
    groupUniqArray(visitor_id) AS visitor_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name = 'pageview') AS pageview_ids,
    groupUniqArrayIf(sipHash64(name, event_id), name != 'engagement') AS event_ids,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, pathname, hour, session_id;
