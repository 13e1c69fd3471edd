import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { deleteSiteData, forgetSite } from "@pixel/lib/clickhouse/site-data";
import { createSite, isClaimClash, updateSite } from "@pixel/lib/d1/accounts";
import { sites, type Site } from "@pixel/lib/d1/schema";
import { withReader } from "../clickhouse";
import { withWriter } from "../data/clickhouse";
import { requestRetention, startRetentionJobs } from "../data/retention";
import { database } from "../db";
import type { ApiContext, SiteRole } from "../env";
import { sitesOverview } from "../stats/overview";
import { jsonBody } from "../validate";
import { requireSiteRole, sitesVisibleTo } from "./access";
import { claimRefusal, RACED } from "./hostnames";
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
  shareEmbed: site.shareEmbed,
  createdAt: site.createdAt.toISOString(),
  role,
});

/** The hostnames a write would newly give the site, named by the field they came in. */
function newClaims(change: { domain?: string; hostnames?: string[] }, site?: Site) {
  const claims = change.domain && change.domain !== site?.domain ? [{ field: "domain", hostname: change.domain }] : [];
  (change.hostnames ?? []).forEach((hostname, i) => {
    if (!site?.hostnames.includes(hostname)) claims.push({ field: `hostnames.${i}`, hostname });
  });
  return claims;
}

/** Runs a write that claims hostnames; undefined when the database refused a claim another site holds. */
async function claiming<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (isClaimClash(error)) return undefined;
    throw error;
  }
}

export const siteRoutes = new Hono<ApiContext>()
  .get("/", async (c) => {
    const visible = await sitesVisibleTo(c.env.DB, c.var.user);
    return c.json({ sites: visible.map(({ site, role }) => siteBody(site, role)) });
  })
  .post("/", jsonBody(NewSite), async (c) => {
    const input = c.req.valid("json");
    const refused = await claimRefusal(c.env.DB, c.var.user, undefined, newClaims(input));
    if (refused) return c.json({ error: refused.error }, refused.status);
    const site = await claiming(() => createSite(database(c.env.DB), { ...input, ownerId: c.var.user.id }));
    if (!site) return c.json({ error: RACED.error }, RACED.status);
    return c.json({ site: siteBody(site, "owner") }, 201);
  })
  .get("/overview", async (c) => {
    const visible = await sitesVisibleTo(c.env.DB, c.var.user);
    return c.json({ sites: await withReader(c.env, (client) => sitesOverview(client, visible.map(({ site }) => site), new Date())) });
  })
  .get("/:siteId", requireSiteRole("viewer"), (c) => c.json({ site: siteBody(c.var.site, c.var.siteRole) }))
  .patch("/:siteId", requireSiteRole("admin"), jsonBody(SiteSettings), async (c) => {
    const change = c.req.valid("json");
    const refused = await claimRefusal(c.env.DB, c.var.user, c.var.site.id, newClaims(change, c.var.site));
    if (refused) return c.json({ error: refused.error }, refused.status);
    if (!Object.keys(change).length) return c.json({ site: siteBody(c.var.site, c.var.siteRole) });
    const site = await claiming(() => updateSite(database(c.env.DB), c.var.site, change));
    if (!site) return c.json({ error: RACED.error }, RACED.status);
    if (site.retentionDays !== c.var.site.retentionDays) {
      await requestRetention(c.env.DB, site.id, site.retentionDays, Date.now());
      startRetentionJobs(c);
    }
    return c.json({ site: siteBody(site, c.var.siteRole) });
  })
  .delete("/:siteId", requireSiteRole("owner"), async (c) => {
    // Its events first: should ClickHouse fail, the site stays and the owner can try again.
    await withWriter(c.env, (client) => deleteSiteData(client, c.var.site.id));
    await database(c.env.DB).delete(sites).where(eq(sites.id, c.var.site.id));
    await withWriter(c.env, (client) => forgetSite(client, c.var.site.id));
    return c.body(null, 204);
  });
