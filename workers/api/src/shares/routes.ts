import { Hono } from "hono";
import { eq } from "drizzle-orm";
import * as v from "valibot";
import { randomToken, sha256Hex } from "@pixel/lib/auth/tokens";
import { sites } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { jsonBody } from "../validate";
import { frameAncestors, sharedSite } from "./access";

const Embedding = v.strictObject({ embed: v.boolean() });

/**
 * Under /sites/:siteId/share, for site admins: a new token (the old link stops working), sharing off, or whether
 * the site's own pages may embed the share page.
 */
export const shareRoutes = new Hono<ApiContext>()
  .use(requireSiteRole("admin"))
  .post("/", async (c) => {
    const token = randomToken("pxs");
    await database(c.env.DB)
      .update(sites)
      .set({ publicShare: true, shareTokenHash: await sha256Hex(token) })
      .where(eq(sites.id, c.var.site.id));
    return c.json({ token }, 201);
  })
  .patch("/", jsonBody(Embedding), async (c) => {
    const { embed } = c.req.valid("json");
    await database(c.env.DB).update(sites).set({ shareEmbed: embed }).where(eq(sites.id, c.var.site.id));
    return c.json({ embed });
  })
  .delete("/", async (c) => {
    await database(c.env.DB).update(sites).set({ publicShare: false, shareTokenHash: null }).where(eq(sites.id, c.var.site.id));
    return c.body(null, 204);
  });

/** No sign-in: what a share link's dashboard needs before it sends queries with the token as a bearer. */
export const publicShareRoutes = new Hono<ApiContext>().get("/:token", async (c) => {
  const site = await sharedSite(c.env.DB, c.req.param("token"));
  if (!site) return c.json({ error: "this share link is not valid (any more)" }, 404);
  return c.json({ site: { id: site.id, domain: site.domain, name: site.name, timezone: site.timezone }, frameAncestors: frameAncestors(site) });
});
