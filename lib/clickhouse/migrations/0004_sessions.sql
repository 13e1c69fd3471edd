-- One row per site, UTC hour and session: the visit-level inputs of the stats queries, fed by a materialized view
-- on every insert into events. Every column is an idempotent SimpleAggregateFunction (min/max, sets of ids), so a
-- hit stored twice changes nothing, and the columns stay plain values that are cheap to read (aggregate states
-- measured 5-10x slower to deserialize). Reading FINAL leaves one row per key, with each event id in exactly one row.
-- Visit attributes are (time, value) pairs: the smallest pair is the first event's value.
-- A visit is the session's events within the queried range (docs/schema.md); rows per UTC hour let a query
-- merge exactly the hours of its range, so a visit across midnight splits at the range's edge as before.
CREATE TABLE IF NOT EXISTS sessions
(
    site_id           LowCardinality(String),
    hour              DateTime('UTC'),
    session_id        UInt64,
    started           SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    ended             SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    visitor_ids       SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64)),
    pageview_ids      SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    event_ids         SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    interaction_ids   SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    v_entry_page      SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_exit_page       SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), String)),
    v_source          SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_referrer        SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_channel         SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_utm_source      SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_utm_medium      SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_utm_campaign    SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_utm_term        SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_utm_content     SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_country         SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_region          SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_city            SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_device          SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_browser         SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_browser_version SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_os              SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_os_version      SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    v_screen          SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
    retention_days    SimpleAggregateFunction(max, UInt16)
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
    groupUniqArray(visitor_id) AS visitor_ids,
    groupUniqArrayIf(event_id, name = 'pageview') AS pageview_ids,
    groupUniqArrayIf(event_id, name != 'engagement') AS event_ids,
    groupUniqArrayIf(event_id, name NOT IN ('pageview', 'engagement')) AS interaction_ids,
    min(if(name = 'pageview', (timestamp, pathname), (toDateTime64('2106-01-01 00:00:00', 3, 'UTC'), ''))) AS v_entry_page,
    max(if(name = 'pageview', (timestamp, pathname), (toDateTime64(0, 3, 'UTC'), ''))) AS v_exit_page,
    min((timestamp, multiIf(utm_source != '', toString(utm_source), referrer_host != '', toString(referrer_host), 'Direct / None'))) AS v_source,
    min((timestamp, referrer)) AS v_referrer,
    min((timestamp, toString(channel))) AS v_channel,
    min((timestamp, toString(utm_source))) AS v_utm_source,
    min((timestamp, toString(utm_medium))) AS v_utm_medium,
    min((timestamp, toString(utm_campaign))) AS v_utm_campaign,
    min((timestamp, toString(utm_term))) AS v_utm_term,
    min((timestamp, toString(utm_content))) AS v_utm_content,
    min((timestamp, toString(country))) AS v_country,
    min((timestamp, toString(region))) AS v_region,
    min((timestamp, toString(city))) AS v_city,
    min((timestamp, toString(device_type))) AS v_device,
    min((timestamp, toString(browser))) AS v_browser,
    min((timestamp, toString(browser_version))) AS v_browser_version,
    min((timestamp, toString(os))) AS v_os,
    min((timestamp, toString(os_version))) AS v_os_version,
    min((timestamp, multiIf(screen_width = 0, '', screen_width < 576, 'Mobile', screen_width < 992, 'Tablet', screen_width < 1440, 'Laptop', 'Desktop'))) AS v_screen,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, hour, session_id;

-- Existing installs: fill from the events already stored. Hits that arrive while this runs may reach the table
-- through both the view and this INSERT; the columns are idempotent, so that counts them once.
INSERT INTO sessions
SELECT
    site_id,
    toStartOfHour(timestamp) AS hour,
    session_id,
    min(timestamp) AS started,
    max(timestamp) AS ended,
    groupUniqArray(visitor_id) AS visitor_ids,
    groupUniqArrayIf(event_id, name = 'pageview') AS pageview_ids,
    groupUniqArrayIf(event_id, name != 'engagement') AS event_ids,
    groupUniqArrayIf(event_id, name NOT IN ('pageview', 'engagement')) AS interaction_ids,
    min(if(name = 'pageview', (timestamp, pathname), (toDateTime64('2106-01-01 00:00:00', 3, 'UTC'), ''))) AS v_entry_page,
    max(if(name = 'pageview', (timestamp, pathname), (toDateTime64(0, 3, 'UTC'), ''))) AS v_exit_page,
    min((timestamp, multiIf(utm_source != '', toString(utm_source), referrer_host != '', toString(referrer_host), 'Direct / None'))) AS v_source,
    min((timestamp, referrer)) AS v_referrer,
    min((timestamp, toString(channel))) AS v_channel,
    min((timestamp, toString(utm_source))) AS v_utm_source,
    min((timestamp, toString(utm_medium))) AS v_utm_medium,
    min((timestamp, toString(utm_campaign))) AS v_utm_campaign,
    min((timestamp, toString(utm_term))) AS v_utm_term,
    min((timestamp, toString(utm_content))) AS v_utm_content,
    min((timestamp, toString(country))) AS v_country,
    min((timestamp, toString(region))) AS v_region,
    min((timestamp, toString(city))) AS v_city,
    min((timestamp, toString(device_type))) AS v_device,
    min((timestamp, toString(browser))) AS v_browser,
    min((timestamp, toString(browser_version))) AS v_browser_version,
    min((timestamp, toString(os))) AS v_os,
    min((timestamp, toString(os_version))) AS v_os_version,
    min((timestamp, multiIf(screen_width = 0, '', screen_width < 576, 'Mobile', screen_width < 992, 'Tablet', screen_width < 1440, 'Laptop', 'Desktop'))) AS v_screen,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, hour, session_id;
