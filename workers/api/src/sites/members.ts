import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import * as v from "valibot";
import { findUserByEmail, grantSite } from "@pixel/lib/d1/accounts";
import { memberships, users } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { Email } from "../users/fields";
import { jsonBody } from "../validate";
import { requireSiteRole } from "./access";

export const MemberRole = v.picklist(["owner", "admin", "viewer"], "role is owner, admin or viewer");
const Grant = v.object({ email: Email, role: MemberRole });

const LAST_OWNER = { error: "userId: this is the site's only owner; make someone else owner first" };

/** Site owners (and global admins) decide who sees a site. */
export const memberRoutes = new Hono<ApiContext>()
  .use(requireSiteRole("owner"))
  .get("/", async (c) => {
    const members = await database(c.env.DB)
      .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.siteId, c.var.site.id))
      .orderBy(users.email)
      .all();
    return c.json({ members });
  })
  .put("/", jsonBody(Grant), async (c) => {
    const { email, role } = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await findUserByEmail(db, email);
    if (!user) return c.json({ error: `email: no account for ${email}; a global admin creates accounts` }, 404);
    if (role !== "owner" && (await isLastOwner(c.env.DB, c.var.site.id, user.id))) return c.json(LAST_OWNER, 409);
    await grantSite(db, user.id, c.var.site.id, role);
    return c.json({ member: { userId: user.id, email: user.email, name: user.name, role } });
  })
  .delete("/:userId", async (c) => {
    const userId = c.req.param("userId");
    if (await isLastOwner(c.env.DB, c.var.site.id, userId)) return c.json(LAST_OWNER, 409);
    const where = and(eq(memberships.siteId, c.var.site.id), eq(memberships.userId, userId));
    const removed = await database(c.env.DB).delete(memberships).where(where).returning({ userId: memberships.userId });
    if (!removed.length) return c.json({ error: `userId: ${userId} is not a member of this site` }, 404);
    return c.body(null, 204);
  });

async function isLastOwner(d1: D1Database, siteId: string, userId: string): Promise<boolean> {
  const owners = await database(d1)
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.siteId, siteId), eq(memberships.role, "owner")))
    .all();
  return owners.length === 1 && owners[0]!.userId === userId;
}
