-- Pixel's ClickHouse users, grants and settings profiles: the one source (docs/deploy.md, section 1).
-- Run it as an admin (on ClickHouse Cloud: the `default` user in the SQL console) after replacing every
-- '<... password>' with a strong password of your own. Running it again updates the users to this file.
-- With another database than `pixel`, rename it in CREATE DATABASE and in every GRANT (npm run deploy prints it so).
-- The local ClickHouse enforces this same file for `npm run dev`, the tests and CI.

CREATE DATABASE IF NOT EXISTS pixel;

-- The api's reader: SELECT only. readonly = 2 lets it send its per-query limits, within these bounds,
-- but never write or change `readonly`.
CREATE SETTINGS PROFILE OR REPLACE pixel_reader_profile SETTINGS
    readonly = 2,
    max_execution_time = 20 MIN 1 MAX 300,
    max_memory_usage = 2000000000 MIN 1 MAX 4000000000,
    max_rows_to_read = 1000000000 MIN 1 MAX 2000000000,
    max_bytes_to_read = 100000000000 MIN 1 MAX 200000000000;

-- The writers (the flusher, and the api's deletes and imports): the same time and memory bounds.
CREATE SETTINGS PROFILE OR REPLACE pixel_writer_profile SETTINGS
    max_execution_time = 60 MIN 1 MAX 300,
    max_memory_usage = 2000000000 MIN 1 MAX 4000000000;

-- Applies the schema migrations (CLICKHOUSE_ADMIN_USER); no Worker gets it.
CREATE USER OR REPLACE pixel_migrator IDENTIFIED BY '<pixel_migrator password>';
GRANT SELECT, INSERT, ALTER, CREATE DATABASE, CREATE TABLE, CREATE VIEW, DROP TABLE, DROP VIEW, OPTIMIZE, TRUNCATE ON pixel.* TO pixel_migrator;

-- The flusher (CLICKHOUSE_FLUSHER_USER): inserts hits; SELECT lets async inserts report and dedupe.
CREATE USER OR REPLACE pixel_writer IDENTIFIED BY '<pixel_writer password>' SETTINGS PROFILE 'pixel_writer_profile';
GRANT SELECT, INSERT ON pixel.* TO pixel_writer;

-- The api (CLICKHOUSE_API_USER): every stats query, report and export.
CREATE USER OR REPLACE pixel_reader IDENTIFIED BY '<pixel_reader password>' SETTINGS PROFILE 'pixel_reader_profile';
GRANT SELECT ON pixel.* TO pixel_reader;

-- Optional: the api's deleting and importing of a site's data, and applying a retention change to stored rows
-- (ALTER UPDATE of retention_days) (CLICKHOUSE_WRITE_USER, docs/data.md).
CREATE USER OR REPLACE pixel_data IDENTIFIED BY '<pixel_data password>' SETTINGS PROFILE 'pixel_writer_profile';
GRANT SELECT, INSERT, ALTER DELETE, ALTER UPDATE ON pixel.* TO pixel_data;
