import { Hono } from "hono";
import { and, asc, eq, gt, lt, or } from "drizzle-orm";
import * as v from "valibot";
import { randomId } from "@pixel/lib/auth/ids";
import { randomToken, sha256Hex, tokenPattern } from "@pixel/lib/auth/tokens";
import { createUser, findUserByEmail, grantSite } from "@pixel/lib/d1/accounts";
import { invitations, sites, type Invitation } from "@pixel/lib/d1/schema";
import { publicUser, startSession } from "../auth/session";
import { database } from "../db";
import { dashboardLink } from "../email/links";
import { invitationMessage } from "../email/render";
import { mailerFor } from "../email/send";
import type { ApiContext } from "../env";
import { requireSiteRole } from "../sites/access";
import { MemberRole } from "../sites/members";
import { Email, NewPassword, UserName } from "../users/fields";
import { jsonBody } from "../validate";

export const INVITATION_DAYS = 7;

const NewInvitation = v.object({ email: Email, role: MemberRole });
const InvitationToken = v.pipe(v.string(), v.regex(tokenPattern("pxi"), "not an invitation token"));
const Acceptance = v.object({ token: InvitationToken, password: NewPassword, name: v.optional(UserName, "") });

const BAD_LINK = { error: "token: this invitation is unknown, already used, revoked or expired; ask for a new one" };

const invitationBody = (invitation: Invitation) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  createdAt: invitation.createdAt.toISOString(),
  expiresAt: invitation.expiresAt.toISOString(),
});

const alreadyHasAccount = (email: string) => ({ error: `email: ${email} already has an account; add it under members instead` });

/** Under /sites/:siteId/invitations: site owners (and global admins) invite, list pending invitations, revoke. */
export const invitationRoutes = new Hono<ApiContext>()
  .use(requireSiteRole("owner"))
  .post("/", jsonBody(NewInvitation), async (c) => {
    const { email, role } = c.req.valid("json");
    const db = database(c.env.DB);
    if (await findUserByEmail(db, email)) return c.json(alreadyHasAccount(email), 409);
    const send = mailerFor(c.env);
    const token = randomToken("pxi");
    const now = Date.now();
    const sameAddress = and(eq(invitations.siteId, c.var.site.id), eq(invitations.email, email));
    const [, [invitation]] = await db.batch([
      db.delete(invitations).where(or(sameAddress, lt(invitations.expiresAt, new Date(now)))),
      db
        .insert(invitations)
        .values({
          id: randomId(),
          tokenHash: await sha256Hex(token),
          email,
          siteId: c.var.site.id,
          role,
          invitedBy: c.var.user.id,
          expiresAt: new Date(now + INVITATION_DAYS * 24 * 3600_000),
        })
        .returning(),
    ]);
    const link = dashboardLink(c.env, `/invitation#${token}`);
    const invitedBy = c.var.user.name || c.var.user.email;
    await send(invitationMessage(email, { siteName: c.var.site.name, role, invitedBy, link, validDays: INVITATION_DAYS }));
    return c.json({ invitation: invitationBody(invitation!) }, 201);
  })
  .get("/", async (c) => {
    const pending = await database(c.env.DB)
      .select()
      .from(invitations)
      .where(and(eq(invitations.siteId, c.var.site.id), gt(invitations.expiresAt, new Date())))
      .orderBy(asc(invitations.createdAt))
      .all();
    return c.json({ invitations: pending.map(invitationBody) });
  })
  .delete("/:invitationId", async (c) => {
    const invitationId = c.req.param("invitationId");
    const revoked = await database(c.env.DB)
      .delete(invitations)
      .where(and(eq(invitations.id, invitationId), eq(invitations.siteId, c.var.site.id)))
      .returning({ id: invitations.id });
    if (!revoked.length) return c.json({ error: `invitationId: no pending invitation ${invitationId} to this site` }, 404);
    return c.body(null, 204);
  });

/** What the invitee's page may know before accepting: the token is the only credential, so it comes in a body. */
async function pendingInvitation(d1: D1Database, token: string) {
  return database(d1)
    .select({ invitation: invitations, siteName: sites.name })
    .from(invitations)
    .innerJoin(sites, eq(sites.id, invitations.siteId))
    .where(and(eq(invitations.tokenHash, await sha256Hex(token)), gt(invitations.expiresAt, new Date())))
    .get();
}

/** Public: the link's token is the credential. Accepting creates the account, grants the site and signs in. */
export const publicInvitationRoutes = new Hono<ApiContext>()
  .post("/preview", jsonBody(v.object({ token: InvitationToken })), async (c) => {
    const found = await pendingInvitation(c.env.DB, c.req.valid("json").token);
    if (!found) return c.json(BAD_LINK, 400);
    const { invitation, siteName } = found;
    return c.json({ email: invitation.email, role: invitation.role, site: { id: invitation.siteId, name: siteName }, expiresAt: invitation.expiresAt.toISOString() });
  })
  .post("/accept", jsonBody(Acceptance), async (c) => {
    const { token, password, name } = c.req.valid("json");
    const db = database(c.env.DB);
    const found = await pendingInvitation(c.env.DB, token);
    if (!found) return c.json(BAD_LINK, 400);
    if (await findUserByEmail(db, found.invitation.email)) return c.json(alreadyHasAccount(found.invitation.email), 409);
    // The delete is the single-use check: of two acceptances at once, only one gets the row back.
    const [invitation] = await db.delete(invitations).where(eq(invitations.id, found.invitation.id)).returning();
    if (!invitation) return c.json(BAD_LINK, 400);
    const user = await createUser(db, { email: invitation.email, password, name });
    await grantSite(db, user.id, invitation.siteId, invitation.role);
    await startSession(c, user);
    return c.json({ user: publicUser(user), siteId: invitation.siteId }, 201);
  });
