import { Hono } from "hono";
import { deleteSiteData } from "@pixel/lib/clickhouse/site-data";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { withWriter } from "./clickhouse";
import { exportEvents } from "./export";
import { importFile } from "./import";
import { retentionStatus } from "./retention";

/**
 * A site's raw data: delete all of it (owner), export its events, import another tool's export, follow its latest
 * retention change being applied to the stored rows (site admins).
 */
export const dataRoutes = new Hono<ApiContext>()
  .delete("/:siteId/data", requireSiteRole("owner"), async (c) => {
    await withWriter(c.env, (client) => deleteSiteData(client, c.var.site.id));
    return c.body(null, 204);
  })
  .get("/:siteId/export", requireSiteRole("admin"), exportEvents)
  .post("/:siteId/imports", requireSiteRole("admin"), importFile)
  .get("/:siteId/retention", requireSiteRole("admin"), async (c) => c.json({ job: await retentionStatus(c.env.DB, c.var.site.id) }));
