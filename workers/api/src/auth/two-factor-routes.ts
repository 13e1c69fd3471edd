import { Hono, type Context } from "hono";
import { eq } from "drizzle-orm";
import * as v from "valibot";
import { verifyPassword } from "@pixel/lib/auth/password";
import { resetTwoFactor } from "@pixel/lib/d1/accounts";
import { users, type SignInChallenge, type User } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { ApiContext } from "../env";
import { CurrentPassword } from "../users/fields";
import { jsonBody } from "../validate";
import { requireUser, sessionSecret } from "./session";
import { completeSignIn, countSignInAttempt } from "./sign-in";
import { isTotpCode, otpauthUri } from "./totp";
import {
  acceptCode,
  CHALLENGE_SECONDS,
  consumeChallenge,
  createChallenge,
  findChallenge,
  newRecoveryCodes,
  recoveryCodesLeft,
  startEnrolment,
  twoFactorState,
  useRecoveryCode,
} from "./two-factor-store";

const Code = v.pipe(v.string(), v.trim(), v.check(isTotpCode, "a code has the 6 digits your authenticator app shows"));
/** A 6-digit code from the authenticator, or one of the recovery codes. */
const CodeOrRecovery = v.pipe(v.string(), v.trim(), v.minLength(1, "send the 6-digit code or a recovery code"), v.maxLength(64));
const ChallengeToken = v.pipe(v.string(), v.maxLength(128));

const Verify = v.object({ token: ChallengeToken, code: CodeOrRecovery });
const EnrolStart = v.object({ token: ChallengeToken });
const EnrolConfirm = v.object({ token: ChallengeToken, code: Code });
const Confirm = v.object({ code: Code });
const TurnOff = v.object({ password: CurrentPassword, code: CodeOrRecovery });

const EXPIRED = "this sign-in has expired or was already finished: sign in with your password again";
const WRONG_CODE = "code: wrong or already used code";

/** After a right password: what second factor the sign-in still owes, if any, with the token that answers for it. */
export async function secondFactorOwed(c: Context<ApiContext>, user: User) {
  const { enrolled, required } = await twoFactorState(c.env.DB, user);
  if (!enrolled && !required) return undefined;
  const kind: SignInChallenge["kind"] = enrolled ? "code" : "enrol";
  return { kind, token: await createChallenge(c.env.DB, sessionSecret(c.env), user.id, kind), expiresIn: CHALLENGE_SECONDS };
}

/** An authenticator code, else a recovery code (used up). */
const acceptCodeOrRecovery = (c: Context<ApiContext>, userId: string, code: string) =>
  isTotpCode(code) ? acceptCode(c.env.DB, sessionSecret(c.env), userId, code) : useRecoveryCode(c.env.DB, sessionSecret(c.env), userId, code);

/** The challenge a token names, of this kind, and its user still able to sign in. */
async function challengeOf(c: Context<ApiContext>, token: string, kind: SignInChallenge["kind"]) {
  const challenge = await findChallenge(c.env.DB, sessionSecret(c.env), token);
  if (challenge?.kind !== kind) return undefined;
  const user = await database(c.env.DB).select().from(users).where(eq(users.id, challenge.userId)).get();
  return user && !user.disabled ? { challenge, user } : undefined;
}

async function enrolment(c: Context<ApiContext>, user: User) {
  const secret = await startEnrolment(c.env.DB, sessionSecret(c.env), user.id);
  if (!secret) return c.json({ error: "two-factor sign-in is already on for this account; turn it off first to change authenticators" }, 409);
  return c.json({ secret, uri: otpauthUri(secret, user.email) });
}

/** The second half of a sign-in: a code or a recovery code for a password already checked. */
export const secondFactorRoutes = new Hono<ApiContext>()
  .post("/verify", jsonBody(Verify), async (c) => {
    const { token, code } = c.req.valid("json");
    const found = await challengeOf(c, token, "code");
    if (!found) return c.json({ error: EXPIRED }, 401);
    const { subjects, refused } = await countSignInAttempt(c, found.user.email);
    if (refused) return refused;
    if (!(await acceptCodeOrRecovery(c, found.user.id, code))) return c.json({ error: WRONG_CODE }, 401);
    if (!(await consumeChallenge(c.env.DB, found.challenge))) return c.json({ error: EXPIRED }, 401);
    return c.json(await completeSignIn(c, found.user, subjects));
  })
  // Forced enrolment: two-factor sign-in is required and this account has no authenticator yet.
  .post("/enrol", jsonBody(EnrolStart), async (c) => {
    const found = await challengeOf(c, c.req.valid("json").token, "enrol");
    if (!found) return c.json({ error: EXPIRED }, 401);
    return enrolment(c, found.user);
  })
  .post("/confirm", jsonBody(EnrolConfirm), async (c) => {
    const { token, code } = c.req.valid("json");
    const found = await challengeOf(c, token, "enrol");
    if (!found) return c.json({ error: EXPIRED }, 401);
    const { subjects, refused } = await countSignInAttempt(c, found.user.email);
    if (refused) return refused;
    if (!(await acceptCode(c.env.DB, sessionSecret(c.env), found.user.id, code, true))) return c.json({ error: WRONG_CODE }, 400);
    if (!(await consumeChallenge(c.env.DB, found.challenge))) return c.json({ error: EXPIRED }, 401);
    const recoveryCodes = await newRecoveryCodes(c.env.DB, sessionSecret(c.env), found.user.id);
    return c.json({ ...(await completeSignIn(c, found.user, subjects)), recoveryCodes });
  });

/** A signed-in user's own authenticator. Checking a code or password here counts against the sign-in limits too. */
export const twoFactorRoutes = new Hono<ApiContext>()
  .use(requireUser)
  .get("/", async (c) => {
    const { enrolled, required } = await twoFactorState(c.env.DB, c.var.user);
    return c.json({ enabled: enrolled, required, recoveryCodesLeft: enrolled ? await recoveryCodesLeft(c.env.DB, c.var.user.id) : 0 });
  })
  .post("/enrol", (c) => enrolment(c, c.var.user))
  .post("/confirm", jsonBody(Confirm), async (c) => {
    const { refused } = await countSignInAttempt(c, c.var.user.email);
    if (refused) return refused;
    if (!(await acceptCode(c.env.DB, sessionSecret(c.env), c.var.user.id, c.req.valid("json").code, true))) return c.json({ error: WRONG_CODE }, 400);
    return c.json({ recoveryCodes: await newRecoveryCodes(c.env.DB, sessionSecret(c.env), c.var.user.id) });
  })
  .post("/recovery-codes", jsonBody(Confirm), async (c) => {
    const { refused } = await countSignInAttempt(c, c.var.user.email);
    if (refused) return refused;
    if (!(await acceptCode(c.env.DB, sessionSecret(c.env), c.var.user.id, c.req.valid("json").code))) return c.json({ error: WRONG_CODE }, 400);
    return c.json({ recoveryCodes: await newRecoveryCodes(c.env.DB, sessionSecret(c.env), c.var.user.id) });
  })
  .delete("/", jsonBody(TurnOff), async (c) => {
    const { password, code } = c.req.valid("json");
    const user = c.var.user;
    if ((await twoFactorState(c.env.DB, user)).required) {
      return c.json({ error: "two-factor sign-in is required for your account; an admin can reset it if you lost your authenticator" }, 403);
    }
    const { refused } = await countSignInAttempt(c, user.email);
    if (refused) return refused;
    if (!(await verifyPassword(password, user.passwordHash))) return c.json({ error: "password: this is not your current password" }, 400);
    if (!(await acceptCodeOrRecovery(c, user.id, code))) return c.json({ error: WRONG_CODE }, 400);
    await resetTwoFactor(database(c.env.DB), user.id);
    return c.body(null, 204);
  });
