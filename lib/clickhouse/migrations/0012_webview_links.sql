-- WebView to browser linking (docs/ingestion.md, "In-app browsers and consent"): a browser visit that follows an in-app
-- WebView visit on the same site, from the same opt-in device identity, within 15 minutes carries the WebView visit's
-- source and channel. '' for every other hit, and for hits stored before this.
ALTER TABLE events ADD COLUMN IF NOT EXISTS linked_source LowCardinality(String) DEFAULT '' AFTER webview;
ALTER TABLE events ADD COLUMN IF NOT EXISTS linked_channel LowCardinality(String) DEFAULT '' AFTER linked_source;

ALTER TABLE sessions ADD COLUMN IF NOT EXISTS v_linked_source SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)) AFTER v_webview;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS v_linked_channel SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)) AFTER v_linked_source;

-- The view fills both from now on, as a visit's first hit has them; changed in place, so no hit passes without a view.
ALTER TABLE sessions_mv MODIFY QUERY
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
    min((timestamp, toString(visitor_type))) AS v_visitor_type,
    min((timestamp, toString(webview))) AS v_webview,
    min((timestamp, toString(linked_source))) AS v_linked_source,
    min((timestamp, toString(linked_channel))) AS v_linked_channel,
    max(retention_days) AS retention_days
FROM events
GROUP BY site_id, hour, session_id;
