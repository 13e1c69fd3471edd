import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { recoveryCodes, twoFactors } from "@pixel/lib/d1/schema";
import { apiEnv, call, db, PASSWORD, signedInUser } from "@pixel/test/support/workers/api";
import { ATTEMPT_LIMITS } from "./rate-limit";
import { sessionSecret } from "./session";
import { totpAt } from "./totp";
import { createChallenge, RECOVERY_CODE_COUNT } from "./two-factor-store";

const STEP_MS = 30_000;
/** The code an authenticator shows now (0) or one step later (1): each is accepted once. */
const codeFor = (secret: string, steps = 0) => totpAt(secret, Date.now() + steps * STEP_MS);
/** A code that is not the current step's nor the next's. */
async function wrongCode(secret: string) {
  const right = new Set([await codeFor(secret), await codeFor(secret, 1), await codeFor(secret, -1)]);
  return ["000000", "111111", "222222", "333333"].find((code) => !right.has(code))!;
}
const cookieOf = (response: { headers: Headers }) => response.headers.get("set-cookie")!.split(";")[0]!;

/** A signed-in user who turned two-factor sign-in on; the code of the current step is used up by the confirmation. */
async function enrolledUser() {
  const { user, cookie } = await signedInUser();
  const { json } = await call("/auth/two-factor/enrol", { cookie, method: "POST" });
  const confirmed = await call("/auth/two-factor/confirm", { cookie, body: { code: await codeFor(json.secret) } });
  expect(confirmed.status).toBe(200);
  return { user, cookie, secret: json.secret as string, recoveryCodes: confirmed.json.recoveryCodes as string[] };
}

/** Each test signs in from a network of its own, so the sign-in limits of one don't reach the next. */
let network = "";
beforeEach(() => {
  network = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.1`;
});

const passwordStep = (email: string, ip = network) => call("/auth/login", { body: { email, password: PASSWORD }, headers: { "cf-connecting-ip": ip } });
const verify = (token: string, code: string, ip = network) => call("/auth/login/verify", { body: { token, code }, headers: { "cf-connecting-ip": ip } });

describe("two-factor enrolment", () => {
  it("gives a secret and otpauth URI, is confirmed by a code, shows 10 recovery codes once, and stores neither in the clear", async () => {
    const { user, cookie } = await signedInUser();
    expect((await call("/auth/two-factor", { cookie })).json).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });
    const started = await call("/auth/two-factor/enrol", { cookie, method: "POST" });
    expect(started.status).toBe(200);
    const { secret, uri } = started.json;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/Pixel:${encodeURIComponent(user.email)}?secret=${secret}&issuer=Pixel&algorithm=SHA1&digits=6&period=30`);
    expect((await call("/auth/two-factor", { cookie })).json.enabled).toBe(false);

    const wrong = await call("/auth/two-factor/confirm", { cookie, body: { code: await wrongCode(secret) } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe("code: wrong or already used code");
    const malformed = await call("/auth/two-factor/confirm", { cookie, body: { code: "12ab" } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toContain("6 digits");

    const confirmed = await call("/auth/two-factor/confirm", { cookie, body: { code: await codeFor(secret) } });
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.json.recoveryCodes;
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z0-9]{5}-[a-hjkmnp-z0-9]{5}$/);
    expect((await call("/auth/two-factor", { cookie })).json).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });

    const again = await call("/auth/two-factor/enrol", { cookie, method: "POST" });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.json)).not.toContain(secret);
    const stored = JSON.stringify([
      await db().select().from(twoFactors).where(eq(twoFactors.userId, user.id)).all(),
      await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).all(),
    ]);
    for (const plain of [secret, ...codes, ...codes.map((code) => code.replace("-", ""))]) expect(stored).not.toContain(plain);
  });

  it("is for signed-in users only, with the dashboard's Origin", async () => {
    expect((await call("/auth/two-factor/enrol", { method: "POST" })).status).toBe(401);
    const { cookie } = await signedInUser();
    const forged = await call("/auth/two-factor/enrol", { cookie, method: "POST", headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(403);
  });
});

describe("signing in with two factors", () => {
  it("asks for a code after the password, with no session until a right code, and a code works once", async () => {
    const { user, secret } = await enrolledUser();
    const first = await passwordStep(user.email);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ secondFactor: { kind: "code", token: expect.stringMatching(/^pxf_[0-9a-f]{64}$/), expiresIn: 600 } });
    expect(first.headers.get("set-cookie")).toBeNull();

    const code = await codeFor(secret, 1);
    const wrong = await verify(first.json.secondFactor.token, await wrongCode(secret));
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe("code: wrong or already used code");
    const signedIn = await verify(first.json.secondFactor.token, code);
    expect(signedIn.status).toBe(200);
    expect(signedIn.json.user.id).toBe(user.id);
    expect((await call("/auth/me", { cookie: cookieOf(signedIn) })).json.user.id).toBe(user.id);

    const tokenAgain = await verify(first.json.secondFactor.token, await codeFor(secret, 0));
    expect(tokenAgain.status).toBe(401);
    expect(tokenAgain.json.error).toContain("sign in with your password again");
    const second = await passwordStep(user.email);
    const replayed = await verify(second.json.secondFactor.token, code);
    expect(replayed.status).toBe(401);
    expect(replayed.json.error).toBe("code: wrong or already used code");
    // The step before the one used is older, so it is refused too, though it lies within the drift window.
    expect((await verify(second.json.secondFactor.token, await codeFor(secret, 0))).status).toBe(401);
  });

  it("lets one of two simultaneous sign-ins with the same code through", async () => {
    const { user, secret } = await enrolledUser();
    const tokens = [(await passwordStep(user.email)).json.secondFactor.token, (await passwordStep(user.email)).json.secondFactor.token];
    const code = await codeFor(secret, 1);
    const answers = await Promise.all(tokens.map((token) => verify(token, code)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it("takes each recovery code once instead of a code", async () => {
    const { user, cookie, recoveryCodes: codes } = await enrolledUser();
    const first = await passwordStep(user.email);
    expect((await verify(first.json.secondFactor.token, ` ${codes[3]!.toUpperCase()} `)).status).toBe(200);
    const second = await passwordStep(user.email);
    const reused = await verify(second.json.secondFactor.token, codes[3]!);
    expect(reused.status).toBe(401);
    expect((await verify(second.json.secondFactor.token, codes[4]!)).status).toBe(200);
    expect((await call("/auth/two-factor", { cookie })).json.recoveryCodesLeft).toBe(8);
  });

  it("makes ten new recovery codes for a code, and the old ones stop working", async () => {
    const { user, cookie, secret, recoveryCodes: old } = await enrolledUser();
    expect((await call("/auth/two-factor/recovery-codes", { cookie, body: { code: await wrongCode(secret) } })).status).toBe(400);
    const renewed = await call("/auth/two-factor/recovery-codes", { cookie, body: { code: await codeFor(secret, 1) } });
    expect(renewed.json.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(renewed.json.recoveryCodes).not.toContain(old[0]);
    const { token } = (await passwordStep(user.email)).json.secondFactor;
    expect((await verify(token, old[0]!)).status).toBe(401);
    expect((await verify(token, renewed.json.recoveryCodes[0])).status).toBe(200);
  });

  it("refuses an expired sign-in and a token that was never given", async () => {
    const { user, secret } = await enrolledUser();
    const stale = await createChallenge(apiEnv.DB, sessionSecret(apiEnv), user.id, "code", Date.now() - 11 * 60_000);
    const expired = await verify(stale, await codeFor(secret, 1));
    expect(expired.status).toBe(401);
    expect(expired.json.error).toContain("expired");
    expect((await verify(`pxf_${"0".repeat(64)}`, await codeFor(secret, 1))).status).toBe(401);
    expect((await call("/auth/login/verify", { body: { token: "x" } })).status).toBe(400);
  });

  it("after PIXEL_SESSION_SECRET changes, refuses the old authenticator's codes with a 401, not a failure", async () => {
    const { user, secret } = await enrolledUser();
    const rotated = { ...apiEnv, PIXEL_SESSION_SECRET: "a-rotated-secret-that-is-long-enough-0123456789" };
    const first = await call("/auth/login", { body: { email: user.email, password: PASSWORD }, headers: { "cf-connecting-ip": network } }, rotated);
    const answer = await call("/auth/login/verify", { body: { token: first.json.secondFactor.token, code: await codeFor(secret, 1) }, headers: { "cf-connecting-ip": network } }, rotated);
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe("code: wrong or already used code");
  });

  it("counts second-factor attempts in the sign-in limits: a right code is refused once they are spent", async () => {
    const { user, secret } = await enrolledUser();
    const ip = network;
    const { token } = (await passwordStep(user.email, ip)).json.secondFactor;
    for (let i = 1; i < ATTEMPT_LIMITS.account; i++) expect((await verify(token, await wrongCode(secret), ip)).status).toBe(401);
    const limited = await verify(token, await codeFor(secret, 1), ip);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatch(/^too many sign-in attempts for this account from your network/);
    expect((await passwordStep(user.email, ip)).status).toBe(429);
    expect((await verify(token, await codeFor(secret, 1), "10.253.0.1")).status).toBe(200);
  });
});

describe("turning two-factor sign-in off", () => {
  it("needs the password and a code, then the password alone signs in", async () => {
    const { user, cookie, secret } = await enrolledUser();
    const off = (body: unknown) => call("/auth/two-factor", { cookie, method: "DELETE", body });
    const wrongPassword = await off({ password: "not it at all", code: await codeFor(secret, 1) });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.json.error).toContain("password");
    expect((await off({ password: PASSWORD, code: await wrongCode(secret) })).status).toBe(400);
    expect((await off({ password: PASSWORD })).json.error).toContain("code");
    expect((await off({ password: PASSWORD, code: await codeFor(secret, 1) })).status).toBe(204);
    expect((await call("/auth/two-factor", { cookie })).json).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });
    const plain = await passwordStep(user.email);
    expect(plain.json.user.id).toBe(user.id);
    expect(await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).all()).toEqual([]);
  });
});

describe("required two-factor sign-in", () => {
  it("per account: the password step leads to enrolment, whose first code gives the session and recovery codes", async () => {
    const { cookie: admin } = await signedInUser("admin");
    const { user, cookie } = await signedInUser();
    const patched = await call(`/users/${user.id}`, { cookie: admin, method: "PATCH", body: { twoFactorRequired: true } });
    expect(patched.json.user).toMatchObject({ twoFactorRequired: true, twoFactorEnabled: false });

    const first = await passwordStep(user.email);
    expect(first.json.secondFactor.kind).toBe("enrol");
    const { token } = first.json.secondFactor;
    expect((await verify(token, "123456")).status).toBe(401);
    const started = await call("/auth/login/enrol", { body: { token } });
    expect(started.status).toBe(200);
    const wrong = await call("/auth/login/confirm", { body: { token, code: await wrongCode(started.json.secret) } });
    expect(wrong.status).toBe(400);
    const confirmed = await call("/auth/login/confirm", { body: { token, code: await codeFor(started.json.secret) } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.user.id).toBe(user.id);
    expect(confirmed.json.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect((await call("/auth/me", { cookie: cookieOf(confirmed) })).status).toBe(200);
    expect((await call("/auth/login/confirm", { body: { token, code: await codeFor(started.json.secret, 1) } })).status).toBe(401);

    expect((await passwordStep(user.email)).json.secondFactor.kind).toBe("code");
    const off = await call("/auth/two-factor", { cookie, method: "DELETE", body: { password: PASSWORD, code: await codeFor(started.json.secret, 1) } });
    expect(off.status).toBe(403);
    expect(off.json.error).toContain("required");
    const listed = (await call("/users", { cookie: admin })).json.users.find((row: { id: string }) => row.id === user.id);
    expect(listed).toMatchObject({ twoFactorRequired: true, twoFactorEnabled: true });
  });

  it("an admin resets another user's lost authenticator; only admins may", async () => {
    const { user: adminUser, cookie: admin } = await signedInUser("admin");
    const own = await call(`/users/${adminUser.id}/two-factor`, { cookie: admin, method: "DELETE" });
    expect(own.status).toBe(400);
    expect(own.json.error).toContain("under Account");
    const { user, cookie } = await enrolledUser();
    const patched = await call(`/users/${user.id}`, { cookie: admin, method: "PATCH", body: { name: "Lost Phone" } });
    expect(patched.json.user).toMatchObject({ twoFactorEnabled: true, twoFactorRequired: false });
    expect((await call(`/users/${user.id}/two-factor`, { cookie, method: "DELETE" })).status).toBe(403);
    expect((await call(`/users/${user.id}/two-factor`, { cookie: admin, method: "DELETE" })).status).toBe(204);
    expect((await passwordStep(user.email)).json.user.id).toBe(user.id);
    const again = await call(`/users/${user.id}/two-factor`, { cookie: admin, method: "DELETE" });
    expect(again.status).toBe(404);
    expect(again.json.error).toContain("no two-factor sign-in");
  });
});
