-- Extra hostnames as the collector compares them: lowercase, without `www.`, once per site, never the site's own domain.
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
-- Claims nothing kept unique before: an extra hostname that is another site's domain, or lies under another site's
-- domain without sharing an owner with that site, is dropped from the site's list (docs/api.md, "Domains and hostnames").
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
--> statement-breakpoint
-- From here on every write to a site's domain or hostnames rewrites its claims, and a clash aborts the write.
CREATE TRIGGER `site_hostnames_on_insert` AFTER INSERT ON `sites` BEGIN
  INSERT INTO `site_hostnames` (`hostname`, `site_id`, `kind`) VALUES (NEW.`domain`, NEW.`id`, 'domain');
  INSERT INTO `site_hostnames` (`hostname`, `site_id`, `kind`)
    SELECT DISTINCT `value`, NEW.`id`, 'extra' FROM json_each(NEW.`hostnames`) WHERE `value` != NEW.`domain`;
END;
--> statement-breakpoint
CREATE TRIGGER `site_hostnames_on_update` AFTER UPDATE OF `domain`, `hostnames` ON `sites` BEGIN
  DELETE FROM `site_hostnames` WHERE `site_id` = OLD.`id`;
  INSERT INTO `site_hostnames` (`hostname`, `site_id`, `kind`) VALUES (NEW.`domain`, NEW.`id`, 'domain');
  INSERT INTO `site_hostnames` (`hostname`, `site_id`, `kind`)
    SELECT DISTINCT `value`, NEW.`id`, 'extra' FROM json_each(NEW.`hostnames`) WHERE `value` != NEW.`domain`;
END;
