import { and, count, eq, gt, isNotNull, lt, sql } from "drizzle-orm";
import { hmacHex, randomToken } from "@pixel/lib/auth/tokens";
import { recoveryCodes, settings, signInChallenges, twoFactors, type SignInChallenge, type User } from "@pixel/lib/d1/schema";
import { database } from "../db";
import { matchingStep, newTotpSecret } from "./totp";

export const RECOVERY_CODE_COUNT = 10;
/** How long a sign-in may wait between the password and the second factor (or a first authenticator). */
export const CHALLENGE_SECONDS = 10 * 60;

/** The secret's key: derived from PIXEL_SESSION_SECRET, so a copy of the database alone reads no secret. */
async function secretKey(sessionSecret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(sessionSecret), "HKDF", false, ["deriveKey"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("pixel two-factor secret") };
  return crypto.subtle.deriveKey(params, base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/** The user id is authenticated data: a secret copied onto another account's row won't decrypt there. */
async function encryptSecret(sessionSecret: string, userId: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(userId) },
    await secretKey(sessionSecret),
    new TextEncoder().encode(secret),
  );
  return btoa(String.fromCharCode(...iv, ...new Uint8Array(sealed)));
}

/** Undefined when it doesn't decrypt: PIXEL_SESSION_SECRET changed since, and only an admin's reset helps. */
async function decryptSecret(sessionSecret: string, userId: string, stored: string): Promise<string | undefined> {
  const bytes = Uint8Array.from(atob(stored), (char) => char.charCodeAt(0));
  const params = { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(userId) };
  try {
    return new TextDecoder().decode(await crypto.subtle.decrypt(params, await secretKey(sessionSecret), bytes.slice(12)));
  } catch {
    return undefined;
  }
}

const everyoneRule = (d1: D1Database) => database(d1).select().from(settings).where(eq(settings.name, "requireTwoFactor"));

/** Whether this user's sign-in needs an authenticator: they enrolled one, or an admin requires it of them or of everyone. */
export async function twoFactorState(d1: D1Database, user: User): Promise<{ enrolled: boolean; required: boolean }> {
  const db = database(d1);
  const [factor, everyone] = await db.batch([
    db.select({ userId: twoFactors.userId }).from(twoFactors).where(and(eq(twoFactors.userId, user.id), isNotNull(twoFactors.confirmedAt))),
    everyoneRule(d1),
  ]);
  return { enrolled: factor.length > 0, required: user.twoFactorRequired || everyone[0]?.value === true };
}

export async function requiredForEveryone(d1: D1Database): Promise<boolean> {
  return (await everyoneRule(d1).get())?.value === true;
}

export async function requireForEveryone(d1: D1Database, required: boolean): Promise<void> {
  await database(d1).insert(settings).values({ name: "requireTwoFactor", value: required }).onConflictDoUpdate({ target: settings.name, set: { value: required } });
}

/** A new secret, pending until confirmed; starting again replaces a pending one. Refused (undefined) once one is confirmed. */
export async function startEnrolment(d1: D1Database, sessionSecret: string, userId: string): Promise<string | undefined> {
  const secret = newTotpSecret();
  const stored = await encryptSecret(sessionSecret, userId, secret);
  const written = await database(d1)
    .insert(twoFactors)
    .values({ userId, secret: stored })
    .onConflictDoUpdate({ target: twoFactors.userId, set: { secret: stored, lastStep: 0 }, where: sql`${twoFactors.confirmedAt} IS NULL` })
    .returning({ userId: twoFactors.userId });
  return written.length ? secret : undefined;
}

/**
 * Checks a TOTP code against the user's authenticator (`pending` for a first code while enrolling) and marks its step
 * used in the same statement, so a code works once even when sent twice at the same moment.
 */
export async function acceptCode(d1: D1Database, sessionSecret: string, userId: string, code: string, pending = false, now = Date.now()): Promise<boolean> {
  const db = database(d1);
  const factor = await db.select().from(twoFactors).where(eq(twoFactors.userId, userId)).get();
  if (!factor || (factor.confirmedAt === null) !== pending) return false;
  const secret = await decryptSecret(sessionSecret, userId, factor.secret);
  const step = secret === undefined ? undefined : await matchingStep(secret, code, now, factor.lastStep);
  if (step === undefined) return false;
  const used = await db
    .update(twoFactors)
    .set({ lastStep: step, confirmedAt: factor.confirmedAt ?? new Date(now) })
    .where(and(eq(twoFactors.userId, userId), eq(twoFactors.secret, factor.secret), lt(twoFactors.lastStep, step)))
    .returning({ userId: twoFactors.userId });
  return used.length > 0;
}

/** 32 characters, so each is 5 unbiased bits; no i, l or o to misread. */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz023456789";
const recoveryHash = (sessionSecret: string, userId: string, code: string) =>
  hmacHex(sessionSecret, `recovery:${userId}:${code.toLowerCase().replace(/[^a-z0-9]/g, "")}`);

/** Ten new recovery codes ("xxxxx-xxxxx", 50 bits each) replacing any old ones; only their keyed hashes are kept. */
export async function newRecoveryCodes(d1: D1Database, sessionSecret: string, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => RECOVERY_ALPHABET[byte & 31]);
    return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
  });
  const hashes = await Promise.all(codes.map((code) => recoveryHash(sessionSecret, userId, code)));
  const db = database(d1);
  await db.batch([
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash }))),
  ]);
  return codes;
}

/** Uses up a recovery code: deleting it is the check, so it can't work twice. */
export async function useRecoveryCode(d1: D1Database, sessionSecret: string, userId: string, code: string): Promise<boolean> {
  const used = await database(d1)
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, await recoveryHash(sessionSecret, userId, code))))
    .returning({ userId: recoveryCodes.userId });
  return used.length > 0;
}

export async function recoveryCodesLeft(d1: D1Database, userId: string): Promise<number> {
  const [row] = await database(d1).select({ left: count() }).from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return row?.left ?? 0;
}

const challengeHash = (sessionSecret: string, token: string) => hmacHex(sessionSecret, `challenge:${token}`);

/** After a right password: the token that stands for "password checked" until the second factor comes. */
export async function createChallenge(d1: D1Database, sessionSecret: string, userId: string, kind: SignInChallenge["kind"], now = Date.now()): Promise<string> {
  const token = randomToken("pxf");
  const db = database(d1);
  await db.batch([
    db.delete(signInChallenges).where(lt(signInChallenges.expiresAt, new Date(now))),
    db.insert(signInChallenges).values({ tokenHash: await challengeHash(sessionSecret, token), userId, kind, expiresAt: new Date(now + CHALLENGE_SECONDS * 1000) }),
  ]);
  return token;
}

export async function findChallenge(d1: D1Database, sessionSecret: string, token: string, now = Date.now()): Promise<SignInChallenge | undefined> {
  return database(d1)
    .select()
    .from(signInChallenges)
    .where(and(eq(signInChallenges.tokenHash, await challengeHash(sessionSecret, token)), gt(signInChallenges.expiresAt, new Date(now))))
    .get();
}

/** Ends a challenge; false when it was already used, so two answers to one challenge make one session. */
export async function consumeChallenge(d1: D1Database, challenge: SignInChallenge): Promise<boolean> {
  const gone = await database(d1).delete(signInChallenges).where(eq(signInChallenges.tokenHash, challenge.tokenHash)).returning({ userId: signInChallenges.userId });
  return gone.length > 0;
}
