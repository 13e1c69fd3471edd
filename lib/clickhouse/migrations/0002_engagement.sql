-- Engagement hits carry how far the visitor scrolled and how long the page was visible and focused:
-- the inputs of the scroll_depth and time_on_page metrics.
ALTER TABLE events ADD COLUMN IF NOT EXISTS scroll_depth UInt8 AFTER screen_width;
ALTER TABLE events ADD COLUMN IF NOT EXISTS engaged_ms UInt32 AFTER scroll_depth;
