import { Hono } from "hono";
import { eq } from "drizzle-orm";
import * as v from "valibot";
import { hashPassword } from "@pixel/lib/auth/password";
import { createUser, endAccess, findUserByEmail, resetTwoFactor } from "@pixel/lib/d1/accounts";
import { twoFactors, users, type User } from "@pixel/lib/d1/schema";
import { publicUser, requireGlobalAdmin } from "../auth/session";
import { twoFactorState } from "../auth/two-factor-store";
import { database } from "../db";
import type { ApiContext } from "../env";
import { jsonBody } from "../validate";
import { Email, NewPassword, UserName, UserRole } from "./fields";

const NewUser = v.object({ email: Email, name: v.optional(UserName, ""), password: NewPassword, role: v.optional(UserRole, "user") });
const UserChange = v.object({
  name: v.optional(UserName),
  role: v.optional(UserRole),
  disabled: v.optional(v.boolean()),
  password: v.optional(NewPassword),
  twoFactorRequired: v.optional(v.boolean()),
});

const userBody = (user: User, twoFactorEnabled: boolean) => ({
  ...publicUser(user),
  disabled: user.disabled,
  twoFactorRequired: user.twoFactorRequired,
  twoFactorEnabled,
  createdAt: user.createdAt.toISOString(),
  lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
});

/** Account management: global admins only. Site access is granted through /api/sites/:siteId/members. */
export const userRoutes = new Hono<ApiContext>()
  .use(requireGlobalAdmin)
  .get("/", async (c) => {
    const all = await database(c.env.DB)
      .select({ user: users, confirmedAt: twoFactors.confirmedAt })
      .from(users)
      .leftJoin(twoFactors, eq(twoFactors.userId, users.id))
      .orderBy(users.email)
      .all();
    return c.json({ users: all.map(({ user, confirmedAt }) => userBody(user, confirmedAt !== null)) });
  })
  .post("/", jsonBody(NewUser), async (c) => {
    const input = c.req.valid("json");
    const db = database(c.env.DB);
    if (await findUserByEmail(db, input.email)) return c.json({ error: `email: ${input.email} already has an account` }, 409);
    return c.json({ user: userBody(await createUser(db, input), false) }, 201);
  })
  .patch("/:userId", jsonBody(UserChange), async (c) => {
    const { password, ...change } = c.req.valid("json");
    const userId = c.req.param("userId");
    if (userId === c.var.user.id && (change.disabled || change.role === "user")) {
      return c.json({ error: `${change.disabled ? "disabled" : "role"}: you can't lock yourself out; ask another admin` }, 400);
    }
    const set = password ? { ...change, passwordHash: await hashPassword(password) } : change;
    const db = database(c.env.DB);
    const [user] = Object.keys(set).length
      ? await db.update(users).set(set).where(eq(users.id, userId)).returning()
      : await db.select().from(users).where(eq(users.id, userId)).all();
    if (!user) return c.json({ error: `no user ${userId}` }, 404);
    // A reset password or a disabled account means someone else may hold its access: all of it ends.
    const ended = password || change.disabled ? await endAccess(db, userId) : { sessions: 0, apiKeys: 0 };
    return c.json({ user: userBody(user, (await twoFactorState(c.env.DB, user)).enrolled), ended });
  })
  // A user who lost their authenticator and recovery codes: they sign in with the password alone, or enrol again if required.
  .delete("/:userId/two-factor", async (c) => {
    const userId = c.req.param("userId");
    if (userId === c.var.user.id) return c.json({ error: "userId: turn off your own two-factor sign-in under Account, with your password and a code" }, 400);
    if (!(await resetTwoFactor(database(c.env.DB), userId))) return c.json({ error: `user ${userId} has no two-factor sign-in to reset` }, 404);
    return c.body(null, 204);
  })
  .delete("/:userId", async (c) => {
    const userId = c.req.param("userId");
    if (userId === c.var.user.id) return c.json({ error: "userId: you can't delete your own account; ask another admin" }, 400);
    const deleted = await database(c.env.DB).delete(users).where(eq(users.id, userId)).returning({ id: users.id });
    if (!deleted.length) return c.json({ error: `no user ${userId}` }, 404);
    return c.body(null, 204);
  });
