import { and, desc, eq, gt, lt } from "drizzle-orm";
import { randomId } from "@pixel/lib/auth/ids";
import { hmacHex, randomToken } from "@pixel/lib/auth/tokens";
import { sessions, users, type Session, type User } from "@pixel/lib/d1/schema";
import { softwareFrom } from "@pixel/workers/collector/src/enrich/user-agent";
import { database } from "../db";

export const SESSION_SECONDS = 30 * 24 * 3600;
/** How stale `lastSeenAt` may get before a request writes it: most requests then only read. */
const SEEN_EVERY_MS = 5 * 60_000;

const tokenHash = (secret: string, token: string) => hmacHex(secret, `session:${token}`);

/** "Firefox on Linux": enough to tell one's sessions apart, and no more of the user agent than that. */
export function deviceOf(userAgent: string): string {
  const { browser, os } = softwareFrom(userAgent);
  return [browser || "Unknown browser", os && `on ${os}`].filter(Boolean).join(" ");
}

/** A new session for the user; returns the token for the cookie. Also forgets the user's expired sessions. */
export async function createSession(d1: D1Database, secret: string, userId: string, userAgent: string, now = Date.now()): Promise<string> {
  const token = randomToken("pxc");
  const db = database(d1);
  await db.batch([
    db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date(now)))),
    db.insert(sessions).values({
      id: randomId(),
      tokenHash: await tokenHash(secret, token),
      userId,
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + SESSION_SECONDS * 1000),
      device: deviceOf(userAgent),
    }),
  ]);
  return token;
}

/** The unexpired session a token names and its user: one indexed lookup, and a write at most every few minutes. */
export async function findSession(d1: D1Database, secret: string, token: string, now = Date.now()): Promise<{ session: Session; user: User } | undefined> {
  const db = database(d1);
  const found = await sessionLookup(d1, await tokenHash(secret, token), now).get();
  if (found && now - found.session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, found.session.id));
  }
  return found;
}

/** The query behind every signed-in request (exported for its query-plan test). */
export const sessionLookup = (d1: D1Database, hash: string, now: number) =>
  database(d1)
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, new Date(now))));

export async function listSessions(d1: D1Database, userId: string, now = Date.now()): Promise<Session[]> {
  return database(d1)
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date(now))))
    .orderBy(desc(sessions.lastSeenAt))
    .all();
}

/** Ends one of the user's sessions; false when the user has no session by that id. */
export async function endSessionById(d1: D1Database, userId: string, sessionId: string): Promise<boolean> {
  const ended = await database(d1)
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}

export async function endUserSessions(d1: D1Database, userId: string): Promise<void> {
  await database(d1).delete(sessions).where(eq(sessions.userId, userId));
}

/** Ends the session a token names, if any. */
export async function endSessionByToken(d1: D1Database, secret: string, token: string): Promise<void> {
  await database(d1).delete(sessions).where(eq(sessions.tokenHash, await tokenHash(secret, token)));
}
