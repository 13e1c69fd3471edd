-- The latest retention change of each site, applied to the rows ClickHouse already holds right after the change
-- and, where that stopped, by the api's cron: one per-site table a step (docs/data.md). A newer change replaces the
-- row and starts over.
CREATE TABLE `retention_jobs` (
	`site_id` text PRIMARY KEY NOT NULL,
	`retention_days` integer NOT NULL,
	`requested_at` integer NOT NULL,
	`steps_done` integer DEFAULT 0 NOT NULL,
	`finished_at` integer,
	`error` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
