import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { deleteSiteData, forgetSite } from "../../../../lib/clickhouse/site-data";
import { createSite, findSiteByDomain } from "../../../../lib/d1/accounts";
import { sites, type Site } from "../../../../lib/d1/schema";
import { withWriter } from "../data/clickhouse";
import { database } from "../db";
import type { ApiContext, SiteRole } from "../env";
import { goalRoutes } from "../goals/routes";
import { reportRoutes } from "../reports/routes";
import { shareRoutes } from "../shares/routes";
import { jsonBody } from "../validate";
import { requireSiteRole, sitesVisibleTo } from "./access";
import { memberRoutes } from "./members";
import { NewSite, SiteSettings } from "./settings";

export const siteBody = (site: Site, role: SiteRole) => ({
  id: site.id,
  domain: site.domain,
  name: site.name,
  timezone: site.timezone,
  hostnames: site.hostnames,
  retentionDays: site.retentionDays,
  scriptName: site.scriptName,
  endpointName: site.endpointName,
  shields: site.shields,
  publicShare: site.publicShare,
  createdAt: site.createdAt.toISOString(),
  role,
});

const domainTaken = (domain: string) => ({ error: `domain: ${domain} is already a site in this Pixel` });

export const siteRoutes = new Hono<ApiContext>()
  .get("/", async (c) => {
    const visible = await sitesVisibleTo(c.env.DB, c.var.user);
    return c.json({ sites: visible.map(({ site, role }) => siteBody(site, role)) });
  })
  .post("/", jsonBody(NewSite), async (c) => {
    const input = c.req.valid("json");
    const db = database(c.env.DB);
    if (await findSiteByDomain(db, input.domain)) return c.json(domainTaken(input.domain), 409);
    const site = await createSite(db, { ...input, ownerId: c.var.user.id });
    return c.json({ site: siteBody(site, "owner") }, 201);
  })
  .get("/:siteId", requireSiteRole("viewer"), (c) => c.json({ site: siteBody(c.var.site, c.var.siteRole) }))
  .patch("/:siteId", requireSiteRole("admin"), jsonBody(SiteSettings), async (c) => {
    const change = c.req.valid("json");
    const db = database(c.env.DB);
    if (change.domain && change.domain !== c.var.site.domain && (await findSiteByDomain(db, change.domain))) {
      return c.json(domainTaken(change.domain), 409);
    }
    if (!Object.keys(change).length) return c.json({ site: siteBody(c.var.site, c.var.siteRole) });
    const [site] = await db.update(sites).set(change).where(eq(sites.id, c.var.site.id)).returning();
    return c.json({ site: siteBody(site!, c.var.siteRole) });
  })
  .delete("/:siteId", requireSiteRole("owner"), async (c) => {
    // Its events first: should ClickHouse fail, the site stays and the owner can try again.
    await withWriter(c.env, (client) => deleteSiteData(client, c.var.site.id));
    await database(c.env.DB).delete(sites).where(eq(sites.id, c.var.site.id));
    await withWriter(c.env, (client) => forgetSite(client, c.var.site.id));
    return c.body(null, 204);
  })
  .route("/:siteId/members", memberRoutes)
  .route("/:siteId/goals", goalRoutes)
  .route("/:siteId/reports", reportRoutes)
  .route("/:siteId/share", shareRoutes);
