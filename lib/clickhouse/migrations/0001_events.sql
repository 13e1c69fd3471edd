-- One row per hit that passed the collector's checks.
-- Sort key: site first (every query is bound to one site), then day (every query has a date range),
-- then name and event id. ReplacingMergeTree collapses rows with the same key, so a hit that arrives
-- twice (queue redelivery, tracker resend of the same event id) is counted once by queries that read FINAL.
-- Monthly partitions keep merges and TTL drops cheap; LowCardinality suits the many small dictionaries
-- (browsers, countries, channels). retention_days comes with each row from its site's settings;
-- 0 keeps the row forever.
CREATE TABLE IF NOT EXISTS events
(
    site_id         LowCardinality(String),
    timestamp       DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    event_id        String CODEC(ZSTD(1)),
    name            LowCardinality(String),
    visitor_id      UInt64,
    session_id      UInt64,
    user_id         String CODEC(ZSTD(1)),
    hostname        LowCardinality(String),
    pathname        String CODEC(ZSTD(3)),
    query           String CODEC(ZSTD(3)),
    title           String CODEC(ZSTD(3)),
    referrer        String CODEC(ZSTD(3)),
    referrer_host   LowCardinality(String),
    channel         LowCardinality(String),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        LowCardinality(String),
    utm_content     LowCardinality(String),
    country         LowCardinality(String),
    region_code     LowCardinality(String),
    region          LowCardinality(String),
    city            LowCardinality(String),
    continent       LowCardinality(String),
    timezone        LowCardinality(String),
    asn             UInt32,
    as_org          LowCardinality(String),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device_type     LowCardinality(String),
    device_vendor   LowCardinality(String),
    device_model    LowCardinality(String),
    screen_width    UInt16,
    props           Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    ip_hash         UInt64,
    retention_days  UInt16 DEFAULT 0,
    INDEX idx_visitor visitor_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(timestamp)
ORDER BY (site_id, toDate(timestamp), name, event_id)
TTL toDateTime(timestamp) + toIntervalDay(retention_days) WHERE retention_days > 0
SETTINGS non_replicated_deduplication_window = 1000;
