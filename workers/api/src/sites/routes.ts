import { Hono } from "hono";
import type { Site } from "../../../../lib/d1/schema";
import type { ApiContext } from "../env";
import { sitesVisibleTo } from "./access";

const publicSite = (site: Site) => ({ id: site.id, domain: site.domain, name: site.name, timezone: site.timezone });

export const siteRoutes = new Hono<ApiContext>().get("/", async (c) => {
  const sites = await sitesVisibleTo(c.env.DB, c.var.user);
  return c.json({ sites: sites.map(publicSite) });
});
