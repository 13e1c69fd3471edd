import { Hono } from "hono";
import { eq, sql } from "drizzle-orm";
import * as v from "valibot";
import { hashPassword, verifyPassword } from "../../../../lib/auth/password";
import { findUserByEmail } from "../../../../lib/d1/accounts";
import { users } from "../../../../lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { Email, NewPassword } from "../users/fields";
import { jsonBody } from "../validate";
import { clearAccountFailures, exceededLimit, loginSubjects, recordFailure } from "./rate-limit";
import { endSession, publicUser, requireUser, sessionSecret, startSession } from "./session";

const Login = v.object({
  email: Email,
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});

const PasswordChange = v.object({
  currentPassword: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  newPassword: NewPassword,
});

/** Checked against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
const NO_USER_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

const TOO_MANY = {
  account: "too many failed sign-ins for this account: wait 15 minutes and try again",
  ip: "too many failed sign-ins from your network: wait 15 minutes and try again",
};

export const authRoutes = new Hono<ApiContext>()
  .post("/login", jsonBody(Login), async (c) => {
    const { email, password } = c.req.valid("json");
    const subjects = await loginSubjects(sessionSecret(c.env), email, c.req.header("cf-connecting-ip") ?? "unknown");
    const limited = await exceededLimit(c.env.DB, subjects);
    if (limited) return c.json({ error: TOO_MANY[limited] }, 429, { "retry-after": "900" });
    const db = database(c.env.DB);
    const user = await findUserByEmail(db, email);
    const valid = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || !valid || user.disabled) {
      await recordFailure(c.env.DB, subjects);
      return c.json({ error: "wrong e-mail or password" }, 401);
    }
    await clearAccountFailures(c.env.DB, subjects);
    await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await startSession(c, user);
    return c.json({ user: publicUser(user) });
  })
  .post("/logout", (c) => {
    endSession(c);
    return c.body(null, 204);
  })
  .get("/me", requireUser, (c) => c.json({ user: publicUser(c.var.user) }))
  .post("/password", requireUser, jsonBody(PasswordChange), async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    if (!(await verifyPassword(currentPassword, c.var.user.passwordHash))) {
      return c.json({ error: "currentPassword: this is not your current password" }, 400);
    }
    const [user] = await database(c.env.DB)
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword), sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, c.var.user.id))
      .returning();
    await startSession(c, user!);
    return c.body(null, 204);
  });
