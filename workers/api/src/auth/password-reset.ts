import { Hono } from "hono";
import { and, eq, gt, lt, or } from "drizzle-orm";
import * as v from "valibot";
import { hashPassword } from "@pixel/lib/auth/password";
import { randomToken, sha256Hex, tokenPattern } from "@pixel/lib/auth/tokens";
import { endAccess, findUserByEmail } from "@pixel/lib/d1/accounts";
import { passwordResets, users } from "@pixel/lib/d1/schema";
import { database } from "../db";
import { dashboardLink, sendInBackground } from "../email/links";
import { passwordResetMessage } from "../email/render";
import { mailerFor } from "../email/send";
import type { ApiContext } from "../env";
import { Email, NewPassword } from "../users/fields";
import { jsonBody } from "../validate";
import { countSignInAttempt } from "./sign-in";

export const RESET_MINUTES = 60;

const ResetRequest = v.object({ email: Email });
const ResetConfirm = v.object({ token: v.pipe(v.string(), v.regex(tokenPattern("pxr"), "not a password-reset token")), password: NewPassword });

/** The same words whether or not the address has an account. */
const SENT = { message: "if this address has a Pixel account, a link to choose a new password is on its way" };
const BAD_LINK = { error: "token: this link is unknown, already used or expired; ask for a new one" };

/**
 * Password reset by e-mail. Requests count against the sign-in limits of that account and network, so nobody can
 * fill an inbox (or probe addresses) faster than they could guess passwords.
 */
export const passwordResetRoutes = new Hono<ApiContext>()
  .post("/", jsonBody(ResetRequest), async (c) => {
    const { email } = c.req.valid("json");
    const { refused } = await countSignInAttempt(c, email);
    if (refused) return refused;
    const send = mailerFor(c.env);
    const db = database(c.env.DB);
    const user = await findUserByEmail(db, email);
    if (user && !user.disabled) {
      const token = randomToken("pxr");
      const now = Date.now();
      await db.batch([
        db.delete(passwordResets).where(or(eq(passwordResets.userId, user.id), lt(passwordResets.expiresAt, new Date(now)))),
        db.insert(passwordResets).values({ tokenHash: await sha256Hex(token), userId: user.id, expiresAt: new Date(now + RESET_MINUTES * 60_000) }),
      ]);
      const message = passwordResetMessage(user.email, dashboardLink(c.env, `/reset-password#${token}`), RESET_MINUTES);
      await sendInBackground(c, () => send(message));
    }
    return c.json(SENT, 202);
  })
  // Takes the link's token (once: the delete is the check) and the new password. Every session and API key ends;
  // the person then signs in with the new password, second factor and all.
  .post("/confirm", jsonBody(ResetConfirm), async (c) => {
    const { token, password } = c.req.valid("json");
    const db = database(c.env.DB);
    const tokenHash = await sha256Hex(token);
    const [reset] = await db
      .delete(passwordResets)
      .where(and(eq(passwordResets.tokenHash, tokenHash), gt(passwordResets.expiresAt, new Date())))
      .returning({ userId: passwordResets.userId });
    if (!reset) return c.json(BAD_LINK, 400);
    await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, reset.userId));
    await endAccess(db, reset.userId);
    return c.body(null, 204);
  });
