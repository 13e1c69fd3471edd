import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { users, type User } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { countAttempt, forgiveAttempt, loginSubjects, tooManyAttempts, type LoginSubjects } from "./rate-limit";
import { publicUser, sessionSecret, startSession } from "./session";

/**
 * Counts one sign-in attempt for this e-mail from this network (a password, a second factor or a reset request)
 * before it is checked. `refused` is the 429 to answer when a limit is passed.
 */
export async function countSignInAttempt(c: Context<ApiContext>, email: string): Promise<{ subjects: LoginSubjects; refused?: Response }> {
  const subjects = await loginSubjects(sessionSecret(c.env), email, c.req.header("cf-connecting-ip") ?? "unknown");
  const { over, retryAfter } = await countAttempt(c.env.DB, subjects);
  const refused = over ? c.json({ error: tooManyAttempts(over, retryAfter) }, 429, { "retry-after": String(retryAfter) }) : undefined;
  return { subjects, refused };
}

/** Every factor checked: the attempts are forgiven and a session starts. */
export async function completeSignIn(c: Context<ApiContext>, user: User, subjects: LoginSubjects) {
  await forgiveAttempt(c.env.DB, subjects);
  await database(c.env.DB).update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  await startSession(c, user);
  return { user: publicUser(user) };
}
