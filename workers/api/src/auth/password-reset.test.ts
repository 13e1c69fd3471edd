import { describe, expect, it } from "vitest";
import { apiEnv, call, login, PASSWORD, signedInUser, unique } from "@pixel/test/support/workers/api";
import { inbox, lastMessage, linkIn } from "@pixel/test/support/workers/email";
import { ATTEMPT_LIMITS } from "./rate-limit";

const NEW_PASSWORD = "a brand new password";
/** Each test from its own network, so the sign-in limits of one don't reach another. */
const fromNetwork = () => ({ "cf-connecting-ip": `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join(".")}` });

async function askForReset(email: string, headers = fromNetwork()) {
  return call("/auth/password-reset", { body: { email }, headers });
}

const tokenOf = (link: string) => new URL(link).hash.slice(1);

describe("password reset by e-mail", () => {
  it("mails a one-hour link to the dashboard that works once and ends every session", async () => {
    const { user, cookie } = await signedInUser();
    expect((await askForReset(user.email)).status).toBe(202);

    const message = await lastMessage(user.email);
    expect(message.subject).toBe("Reset your Pixel password");
    expect(message.headers.from).toBe("Pixel <pixel@pixel.test>");
    const link = linkIn(message, "http://pixel.test/reset-password#pxr_");
    expect(message.text).toContain("for 60 minutes");
    expect(message.html).toContain(`<a href="${link}">`);
    expect(message.html).not.toMatch(/<img/i);

    const confirm = await call("/auth/password-reset/confirm", { body: { token: tokenOf(link), password: NEW_PASSWORD } });
    expect(confirm.status).toBe(204);
    expect((await call("/auth/me", { cookie })).status).toBe(401);
    expect((await call("/auth/login", { body: { email: user.email, password: PASSWORD } })).status).toBe(401);
    await login(user.email, NEW_PASSWORD);

    const again = await call("/auth/password-reset/confirm", { body: { token: tokenOf(link), password: "yet another password" } });
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/^token: this link is unknown, already used or expired/);
  });

  it("answers the same whether or not the address has an account, and mails only real accounts", async () => {
    const { user } = await signedInUser();
    const nobody = `${unique("nobody")}@pixel.test`;
    const [known, unknown] = [await askForReset(user.email), await askForReset(nobody)];
    expect([unknown.status, unknown.json]).toEqual([known.status, known.json]);
    expect(await inbox(nobody)).toEqual([]);
    expect(await inbox(user.email)).toHaveLength(1);
  });

  it("refuses an expired link", async () => {
    const { user } = await signedInUser();
    await askForReset(user.email);
    const token = tokenOf(linkIn(await lastMessage(user.email), "http://pixel.test/reset-password#"));
    await apiEnv.DB.prepare("update password_resets set expires_at = ? where user_id = ?").bind(Date.now() - 1, user.id).run();
    const confirm = await call("/auth/password-reset/confirm", { body: { token, password: NEW_PASSWORD } });
    expect(confirm.status).toBe(400);
    await login(user.email);
  });

  it("only the newest link works", async () => {
    const { user } = await signedInUser();
    const network = fromNetwork();
    await askForReset(user.email, network);
    await askForReset(user.email, network);
    const [first, second] = (await inbox(user.email)).map((message) => tokenOf(linkIn(message, "http://pixel.test/")));
    expect((await call("/auth/password-reset/confirm", { body: { token: first, password: NEW_PASSWORD } })).status).toBe(400);
    expect((await call("/auth/password-reset/confirm", { body: { token: second, password: NEW_PASSWORD } })).status).toBe(204);
  });

  it("is limited like signing in, so nobody can fill an inbox", async () => {
    const { user } = await signedInUser();
    const network = fromNetwork();
    for (let i = 0; i < ATTEMPT_LIMITS.account; i++) expect((await askForReset(user.email, network)).status).toBe(202);
    const refused = await askForReset(user.email, network);
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatch(/^too many sign-in attempts for this account/);
    expect(await inbox(user.email)).toHaveLength(ATTEMPT_LIMITS.account);
  });

  it("names what is wrong with a bad request", async () => {
    expect((await call("/auth/password-reset", { body: { email: "not-an-address" } })).json.error).toBe("email: not an e-mail address");
    const weak = await call("/auth/password-reset/confirm", { body: { token: `pxr_${"0".repeat(64)}`, password: "short" } });
    expect([weak.status, weak.json.error]).toEqual([400, "password: passwords need at least 10 characters"]);
    const forged = await call("/auth/password-reset/confirm", { body: { token: "pxc_123", password: NEW_PASSWORD } });
    expect([forged.status, forged.json.error]).toEqual([400, "token: not a password-reset token"]);
  });
});
