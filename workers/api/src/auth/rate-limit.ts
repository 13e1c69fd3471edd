import { and, eq, lt, sql } from "drizzle-orm";
import { hmacHex } from "@pixel/lib/auth/tokens";
import { loginAttempts } from "@pixel/lib/d1/schema";
import { networkOf } from "@pixel/lib/http/network";
import { database } from "../db";

export const WINDOW_MS = 15 * 60_000;
/**
 * Sign-in attempts a window allows before further ones are refused unheard, even with the right password: per
 * account from one network, so a stranger elsewhere can't lock the owner out, and per network over all accounts.
 * A successful sign-in gives its attempt back.
 */
export const ATTEMPT_LIMITS = { account: 5, network: 20 } as const;

export type Limit = keyof typeof ATTEMPT_LIMITS;
export type LoginSubjects = Record<Limit, string>;

/** Keyed hashes: the table holds neither the e-mail addresses nor the networks they came from. */
export async function loginSubjects(secret: string, email: string, ip: string): Promise<LoginSubjects> {
  const network = networkOf(ip);
  return {
    account: await hmacHex(secret, `account:${email.trim().toLowerCase()}|${network}`),
    network: await hmacHex(secret, `network:${network}`),
  };
}

const TOO_MANY: Record<Limit, string> = { account: "for this account from your network", network: "from your network" };
export const tooManyAttempts = (over: Limit, seconds: number) =>
  `too many sign-in attempts ${TOO_MANY[over]}: try again in ${Math.ceil(seconds / 60)} minutes`;

const windowOf = (now: number) => now - (now % WINDOW_MS);

/**
 * Counts an attempt before the password is checked: one upsert for both subjects, atomic however many attempts
 * run at once. Returns the limit it went past, if any, and when the window ends.
 */
export async function countAttempt(d1: D1Database, subjects: LoginSubjects, now = Date.now()): Promise<{ over?: Limit; retryAfter: number }> {
  const db = database(d1);
  const window = windowOf(now);
  const [, counted] = await db.batch([
    db.delete(loginAttempts).where(lt(loginAttempts.window, window)),
    db
      .insert(loginAttempts)
      .values([
        { subject: subjects.account, window, attempts: 1 },
        { subject: subjects.network, window, attempts: 1 },
      ])
      .onConflictDoUpdate({ target: [loginAttempts.subject, loginAttempts.window], set: { attempts: sql`${loginAttempts.attempts} + 1` } })
      .returning({ subject: loginAttempts.subject, attempts: loginAttempts.attempts }),
  ]);
  const attempts = (limit: Limit) => counted.find((row) => row.subject === subjects[limit])?.attempts ?? 0;
  const over = (Object.keys(ATTEMPT_LIMITS) as Limit[]).find((limit) => attempts(limit) > ATTEMPT_LIMITS[limit]);
  return { over, retryAfter: Math.ceil((window + WINDOW_MS - now) / 1000) };
}

/** After a successful sign-in: the account's count from this network starts over, and the network gets its attempt back. */
export async function forgiveAttempt(d1: D1Database, subjects: LoginSubjects, now = Date.now()) {
  const db = database(d1);
  await db.batch([
    db.delete(loginAttempts).where(eq(loginAttempts.subject, subjects.account)),
    db
      .update(loginAttempts)
      .set({ attempts: sql`max(${loginAttempts.attempts} - 1, 0)` })
      .where(and(eq(loginAttempts.subject, subjects.network), eq(loginAttempts.window, windowOf(now)))),
  ]);
}
