import { Hono } from "hono";
import { eq } from "drizzle-orm";
import * as v from "valibot";
import { hashPassword, verifyPassword } from "@pixel/lib/auth/password";
import { findUserByEmail } from "@pixel/lib/d1/accounts";
import { users, type Session } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { CurrentPassword, Email, NewPassword } from "../users/fields";
import { jsonBody } from "../validate";
import { endSession, forgetSessionCookie, publicUser, requireUser, startSession } from "./session";
import { endSessionById, endUserSessions, listSessions } from "./session-store";
import { completeSignIn, countSignInAttempt } from "./sign-in";
import { secondFactorOwed, secondFactorRoutes, twoFactorRoutes } from "./two-factor-routes";

const Login = v.object({
  email: Email,
  password: CurrentPassword,
});

const PasswordChange = v.object({
  currentPassword: CurrentPassword,
  newPassword: NewPassword,
});

/** Checked against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
const NO_USER_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export const authRoutes = new Hono<ApiContext>()
  .post("/login", jsonBody(Login), async (c) => {
    const { email, password } = c.req.valid("json");
    const { subjects, refused } = await countSignInAttempt(c, email);
    if (refused) return refused;
    const user = await findUserByEmail(database(c.env.DB), email);
    const valid = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || !valid || user.disabled) return c.json({ error: "wrong e-mail or password" }, 401);
    const secondFactor = await secondFactorOwed(c, user);
    if (secondFactor) return c.json({ secondFactor });
    return c.json(await completeSignIn(c, user, subjects));
  })
  .route("/login", secondFactorRoutes)
  .route("/two-factor", twoFactorRoutes)
  .post("/logout", async (c) => {
    await endSession(c);
    return c.body(null, 204);
  })
  .get("/me", requireUser, (c) => c.json({ user: publicUser(c.var.user) }))
  .post("/password", requireUser, jsonBody(PasswordChange), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    if (!(await verifyPassword(currentPassword, c.var.user.passwordHash))) {
      return c.json({ error: "currentPassword: this is not your current password" }, 400);
    }
    await database(c.env.DB).update(users).set({ passwordHash: await hashPassword(newPassword) }).where(eq(users.id, c.var.user.id));
    await endUserSessions(c.env.DB, c.var.user.id);
    await startSession(c, c.var.user);
    return c.body(null, 204);
  })
  .get("/sessions", requireUser, async (c) => {
    const sessions = await listSessions(c.env.DB, c.var.user.id);
    return c.json({ sessions: sessions.map((session) => sessionBody(session, c.var.sessionId)) });
  })
  .delete("/sessions/:sessionId", requireUser, async (c) => {
    const sessionId = c.req.param("sessionId");
    if (!(await endSessionById(c.env.DB, c.var.user.id, sessionId))) return c.json({ error: `sessionId: you have no session ${sessionId}` }, 404);
    if (sessionId === c.var.sessionId) forgetSessionCookie(c);
    return c.body(null, 204);
  })
  // Sign out everywhere, this browser included: whoever holds a session token, it stops working.
  .delete("/sessions", requireUser, async (c) => {
    await endUserSessions(c.env.DB, c.var.user.id);
    forgetSessionCookie(c);
    return c.body(null, 204);
  });

const sessionBody = (session: Session, currentId: string) => ({
  id: session.id,
  device: session.device,
  createdAt: session.createdAt.toISOString(),
  lastSeenAt: session.lastSeenAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  current: session.id === currentId,
});
