import { Hono } from "hono";
import { eq } from "drizzle-orm";
import * as v from "valibot";
import { verifyPassword } from "../../../../lib/auth/password";
import { findUserByEmail } from "../../../../lib/d1/accounts";
import { users } from "../../../../lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { endSession, publicUser, requireUser, startSession } from "./session";
import { jsonBody } from "../validate";

const Login = v.object({
  email: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});

/** Checked against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
const NO_USER_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export const authRoutes = new Hono<ApiContext>()
  .post("/login", jsonBody(Login), async (c) => {
    const { email, password } = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await findUserByEmail(db, email);
    const valid = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || !valid || user.disabled) return c.json({ error: "wrong e-mail or password" }, 401);
    await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await startSession(c, user);
    return c.json({ user: publicUser(user) });
  })
  .post("/logout", (c) => {
    endSession(c);
    return c.body(null, 204);
  })
  .get("/me", requireUser, (c) => c.json({ user: publicUser(c.var.user) }));
