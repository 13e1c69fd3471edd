CREATE TABLE `api_key_sites` (
	`key_id` text NOT NULL,
	`site_id` text NOT NULL,
	PRIMARY KEY(`key_id`, `site_id`),
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_token_hash_unique` ON `api_keys` (`token_hash`);--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_subject_at` ON `login_failures` (`subject`,`at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`date_range` text NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reports_site` ON `reports` (`site_id`,`position`);--> statement-breakpoint
CREATE TABLE `widgets` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`width` integer DEFAULT 2 NOT NULL,
	`query` text,
	`sql` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `widgets_report` ON `widgets` (`report_id`,`position`);--> statement-breakpoint
ALTER TABLE `sites` ADD `script_name` text DEFAULT 'pixel.js' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `endpoint_name` text DEFAULT 'e' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `shields` text DEFAULT '{"ipRanges":[],"countries":[],"paths":[],"hostnames":[]}' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `public_share` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `share_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `sites_share_token_hash_unique` ON `sites` (`share_token_hash`);