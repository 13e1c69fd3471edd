-- Hits the collector did not store, one row per refused request (or per site within it), with why.
-- The collector gives each row a random drop_id and the flusher writes it like an event, so a redelivered
-- queue message collapses under ReplacingMergeTree: read with FINAL and sum(hits) to count drops exactly once.
-- site_id is empty when no registered site matched; hostname then says which host the hits claimed.
-- Counters are operational data, not analytics: they are kept for 400 days.
CREATE TABLE IF NOT EXISTS dropped_hits
(
    day        Date,
    site_id    LowCardinality(String),
    hostname   LowCardinality(String),
    reason     LowCardinality(String),
    detail     LowCardinality(String),
    drop_id    String CODEC(ZSTD(1)),
    hits       UInt32,
    timestamp  DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site_id, day, reason, hostname, drop_id)
TTL day + toIntervalDay(400)
SETTINGS non_replicated_deduplication_window = 1000;
