import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { hmacHex } from "../../../../lib/auth/tokens";
import { loginFailures } from "../../../../lib/d1/schema";
import { database } from "../db";

export const FAILURE_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins allowed per window before further attempts are refused, even with the right password. */
export const FAILURE_LIMITS = { account: 5, ip: 20 } as const;

export interface LoginSubjects {
  account: string;
  ip: string;
}

/** Keyed hashes: the table holds neither e-mail addresses of failed attempts nor IPs. */
export async function loginSubjects(secret: string, email: string, ip: string): Promise<LoginSubjects> {
  return {
    account: await hmacHex(secret, `account:${email.trim().toLowerCase()}`),
    ip: await hmacHex(secret, `ip:${ip}`),
  };
}

/** Which limit, if any, the recent failures have reached. */
export async function exceededLimit(d1: D1Database, subjects: LoginSubjects, now = Date.now()): Promise<keyof LoginSubjects | null> {
  const rows = await database(d1)
    .select({ subject: loginFailures.subject, failures: sql<number>`count(*)` })
    .from(loginFailures)
    .where(and(inArray(loginFailures.subject, [subjects.account, subjects.ip]), gt(loginFailures.at, new Date(now - FAILURE_WINDOW_MS))))
    .groupBy(loginFailures.subject)
    .all();
  const count = (subject: string) => rows.find((row) => row.subject === subject)?.failures ?? 0;
  if (count(subjects.account) >= FAILURE_LIMITS.account) return "account";
  if (count(subjects.ip) >= FAILURE_LIMITS.ip) return "ip";
  return null;
}

export async function recordFailure(d1: D1Database, subjects: LoginSubjects, now = Date.now()) {
  const db = database(d1);
  const at = new Date(now);
  await db.batch([
    db.delete(loginFailures).where(lt(loginFailures.at, new Date(now - FAILURE_WINDOW_MS))),
    db.insert(loginFailures).values([
      { subject: subjects.account, at },
      { subject: subjects.ip, at },
    ]),
  ]);
}

export async function clearAccountFailures(d1: D1Database, subjects: LoginSubjects) {
  await database(d1).delete(loginFailures).where(eq(loginFailures.subject, subjects.account));
}
