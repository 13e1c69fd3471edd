-- Extra hostnames as the collector compares them: lowercase, without www, once per site, never the domain of the site itself.
-- (No quotes or semicolons in these comments: remote D1 splits the file itself.)
UPDATE `sites` SET `hostnames` = (
  SELECT json_group_array(`name`) FROM (
    SELECT `name` FROM (
      SELECT CASE WHEN lower(`value`) LIKE 'www.%' THEN substr(lower(`value`), 5) ELSE lower(`value`) END AS `name`, `key`
      FROM json_each(`sites`.`hostnames`)
    )
    WHERE `name` != `sites`.`domain`
    GROUP BY `name` ORDER BY min(`key`)
  )
);
--> statement-breakpoint
-- Claims nothing kept unique before: an extra hostname that is the domain of another site, or lies under the domain of
-- another site without sharing an owner with it, is dropped from the list (docs/api.md, Domains and hostnames).
UPDATE `sites` SET `hostnames` = (
  SELECT json_group_array(`value`) FROM json_each(`sites`.`hostnames`) AS `extra`
  WHERE NOT EXISTS (
    SELECT 1 FROM `sites` AS `other`
    WHERE `other`.`id` != `sites`.`id`
      AND (`extra`.`value` = `other`.`domain`
        OR (`extra`.`value` LIKE '%.' || `other`.`domain` AND NOT EXISTS (
          SELECT 1 FROM `memberships` AS `mine` JOIN `memberships` AS `theirs` ON `theirs`.`user_id` = `mine`.`user_id`
          WHERE `mine`.`site_id` = `sites`.`id` AND `mine`.`role` = 'owner'
            AND `theirs`.`site_id` = `other`.`id` AND `theirs`.`role` = 'owner')))
  )
  ORDER BY `extra`.`key`
);
--> statement-breakpoint
-- An extra hostname several sites list stays with the oldest of them.
UPDATE `sites` SET `hostnames` = (
  SELECT json_group_array(`value`) FROM json_each(`sites`.`hostnames`) AS `extra`
  WHERE NOT EXISTS (
    SELECT 1 FROM `sites` AS `older`, json_each(`older`.`hostnames`) AS `theirs`
    WHERE `theirs`.`value` = `extra`.`value` AND (`older`.`created_at`, `older`.`id`) < (`sites`.`created_at`, `sites`.`id`)
  )
  ORDER BY `extra`.`key`
);
--> statement-breakpoint
INSERT INTO `site_hostnames` (`hostname`, `site_id`, `kind`) SELECT `domain`, `id`, 'domain' FROM `sites`;
--> statement-breakpoint
INSERT INTO `site_hostnames` (`hostname`, `site_id`, `kind`)
  SELECT `extra`.`value`, `sites`.`id`, 'extra' FROM `sites`, json_each(`sites`.`hostnames`) AS `extra`;
