-- new or returning, from the collector's cache-validator signal (docs/privacy.md); '' when the hit did not say.
ALTER TABLE events ADD COLUMN IF NOT EXISTS visitor_type LowCardinality(String) AFTER user_id;
