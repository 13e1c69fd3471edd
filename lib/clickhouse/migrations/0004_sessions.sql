-- One row per site, UTC hour and session: the visit-level inputs of the stats queries as aggregate states,
-- fed by a materialized view on every insert into events. Every state is idempotent (uniqExact of event ids,
-- min/max, argMin/argMax, groupUniqArray), so a hit stored twice changes nothing: exact without FINAL.
-- A visit is the session's events within the queried range (docs/schema.md); rows per UTC hour let a query
-- merge exactly the hours of its range, so a visit across midnight splits at the range's edge as before.
CREATE TABLE IF NOT EXISTS sessions
(
    site_id          LowCardinality(String),
    hour             DateTime('UTC'),
    session_id       UInt64,
    started          SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    ended            SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    visitor_ids      AggregateFunction(groupUniqArray, UInt64),
    pageviews        AggregateFunction(uniqExact, String),
    events           AggregateFunction(uniqExact, String),
    interactions     AggregateFunction(uniqExact, String),
    v_entry_page     AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_exit_page      AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    v_source         AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_referrer       AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_channel        AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_utm_source     AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_utm_medium     AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_utm_campaign   AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_utm_term       AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_utm_content    AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_country        AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_region         AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_city           AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_device         AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_browser        AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_browser_version AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_os             AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_os_version     AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    v_screen         AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    retention_days   SimpleAggregateFunction(max, UInt16)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, session_id)
TTL hour + toIntervalHour(1) + toIntervalDay(retention_days) WHERE retention_days > 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv TO sessions AS
SELECT
    site_id,
    toStartOfHour(timestamp) AS hour,
    session_id,
    min(timestamp) AS started,
    max(timestamp) AS ended,
    groupUniqArrayState(visitor_id) AS visitor_ids,
    uniqExactStateIf(event_id, name = 'pageview') AS pageviews,
    uniqExactStateIf(event_id, name != 'engagement') AS events,
    uniqExactStateIf(event_id, name NOT IN ('pageview', 'engagement')) AS interactions,
    argMinStateIf(pathname, timestamp, name = 'pageview') AS v_entry_page,
    argMaxStateIf(pathname, timestamp, name = 'pageview') AS v_exit_page,
    argMinState(multiIf(utm_source != '', toString(utm_source), referrer_host != '', toString(referrer_host), 'Direct / None'), timestamp) AS v_source,
    argMinState(referrer, timestamp) AS v_referrer,
    argMinState(toString(channel), timestamp) AS v_channel,
    argMinState(toString(utm_source), timestamp) AS v_utm_source,
    argMinState(toString(utm_medium), timestamp) AS v_utm_medium,
    argMinState(toString(utm_campaign), timestamp) AS v_utm_campaign,
    argMinState(toString(utm_term), timestamp) AS v_utm_term,
    argMinState(toString(utm_content), timestamp) AS v_utm_content,
    argMinState(toString(country), timestamp) AS v_country,
    argMinState(toString(region), timestamp) AS v_region,
    argMinState(toString(city), timestamp) AS v_city,
    argMinState(toString(device_type), timestamp) AS v_device,
    argMinState(toString(browser), timestamp) AS v_browser,
    argMinState(toString(browser_version), timestamp) AS v_browser_version,
    argMinState(toString(os), timestamp) AS v_os,
    argMinState(toString(os_version), timestamp) AS v_os_version,
    argMinState(multiIf(screen_width = 0, '', screen_width < 576, 'Mobile', screen_width < 992, 'Tablet', screen_width < 1440, 'Laptop', 'Desktop'), timestamp) AS v_screen,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, hour, session_id;

-- Existing installs: fill from the events already stored. Hits that arrive while this runs may reach the table
-- through both the view and this INSERT; the states are idempotent, so that counts them once.
INSERT INTO sessions
SELECT
    site_id,
    toStartOfHour(timestamp) AS hour,
    session_id,
    min(timestamp),
    max(timestamp),
    groupUniqArrayState(visitor_id),
    uniqExactStateIf(event_id, name = 'pageview'),
    uniqExactStateIf(event_id, name != 'engagement'),
    uniqExactStateIf(event_id, name NOT IN ('pageview', 'engagement')),
    argMinStateIf(pathname, timestamp, name = 'pageview'),
    argMaxStateIf(pathname, timestamp, name = 'pageview'),
    argMinState(multiIf(utm_source != '', toString(utm_source), referrer_host != '', toString(referrer_host), 'Direct / None'), timestamp),
    argMinState(referrer, timestamp),
    argMinState(toString(channel), timestamp),
    argMinState(toString(utm_source), timestamp),
    argMinState(toString(utm_medium), timestamp),
    argMinState(toString(utm_campaign), timestamp),
    argMinState(toString(utm_term), timestamp),
    argMinState(toString(utm_content), timestamp),
    argMinState(toString(country), timestamp),
    argMinState(toString(region), timestamp),
    argMinState(toString(city), timestamp),
    argMinState(toString(device_type), timestamp),
    argMinState(toString(browser), timestamp),
    argMinState(toString(browser_version), timestamp),
    argMinState(toString(os), timestamp),
    argMinState(toString(os_version), timestamp),
    argMinState(multiIf(screen_width = 0, '', screen_width < 576, 'Mobile', screen_width < 992, 'Tablet', screen_width < 1440, 'Laptop', 'Desktop'), timestamp),
    max(retention_days)
FROM events
GROUP BY site_id, hour, session_id;
