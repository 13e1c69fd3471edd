ALTER TABLE `sites` ADD `share_embed` integer DEFAULT false NOT NULL;
