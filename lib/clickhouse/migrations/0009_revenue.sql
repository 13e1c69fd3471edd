-- A goal's conversion may carry what it earned: an exact decimal (never a Float) in an ISO 4217 currency.
-- Hits without revenue keep 0 and ''; the total_revenue and average_revenue metrics read these columns.
ALTER TABLE events ADD COLUMN IF NOT EXISTS revenue_amount Decimal(18, 4) DEFAULT 0 AFTER engaged_ms;
ALTER TABLE events ADD COLUMN IF NOT EXISTS revenue_currency LowCardinality(String) DEFAULT '' AFTER revenue_amount;
