CREATE TABLE `login_attempts` (
	`subject` text NOT NULL,
	`window` integer NOT NULL,
	`attempts` integer NOT NULL,
	PRIMARY KEY(`subject`, `window`)
);
--> statement-breakpoint
DROP TABLE `login_failures`;