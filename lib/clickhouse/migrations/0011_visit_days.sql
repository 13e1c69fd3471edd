-- A browser's first-seen day and the day of its previous page load, in the site's calendar, from pixel.js's validator
-- (docs/ingestion.md, "Retention cohorts"); 1970-01-01 when the hit did not say, or (previous_visit) for the browser's first page.
ALTER TABLE events ADD COLUMN IF NOT EXISTS first_visit Date AFTER visitor_type;
ALTER TABLE events ADD COLUMN IF NOT EXISTS previous_visit Date AFTER first_visit;
