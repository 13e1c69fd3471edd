import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { loginFailures, sessions } from "../../../../lib/d1/schema";
import { apiEnv, call, db, login, PASSWORD, signedInUser, unique } from "../test-support";
import { FAILURE_LIMITS } from "./rate-limit";
import { SESSION_COOKIE, sessionSecret } from "./session";
import { createSession, SESSION_SECONDS } from "./session-store";

const attempt = (email: string, password: string, ip: string) =>
  call("/auth/login", { body: { email, password }, headers: { "cf-connecting-ip": ip } });

async function failTimes(times: number, email: (i: number) => string, ip: string) {
  for (let i = 0; i < times; i++) expect((await attempt(email(i), "wrong password", ip)).status).toBe(401);
}

describe("login rate limit", () => {
  it("locks an account after repeated failures, even for the right password and from another network", async () => {
    const { user } = await signedInUser();
    await failTimes(FAILURE_LIMITS.account, () => user.email, "198.51.100.1");
    const locked = await attempt(user.email, PASSWORD, "198.51.100.1");
    expect(locked.status).toBe(429);
    expect(locked.json.error).toContain("too many failed sign-ins for this account");
    expect((await attempt(user.email, PASSWORD, "198.51.100.2")).status).toBe(429);
    const { user: neighbour } = await signedInUser();
    expect((await attempt(neighbour.email, PASSWORD, "198.51.100.1")).status).toBe(200);
  });

  it("limits one network trying many accounts, and only that network", async () => {
    const ip = "203.0.113.77";
    await failTimes(FAILURE_LIMITS.ip, () => `${unique("ghost")}@pixel.test`, ip);
    const { user } = await signedInUser();
    const limited = await attempt(user.email, PASSWORD, ip);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toContain("from your network");
    expect((await attempt(user.email, PASSWORD, "203.0.113.78")).status).toBe(200);
  });

  it("stores neither the IP nor the e-mail address of a failed attempt", async () => {
    const email = `${unique("probe")}@pixel.test`;
    await failTimes(1, () => email, "192.0.2.123");
    const rows = await db().select().from(loginFailures).all();
    expect(rows.length).toBeGreaterThan(0);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain("192.0.2.123");
    expect(stored).not.toContain(email);
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    const { user } = await signedInUser();
    await failTimes(FAILURE_LIMITS.account - 1, () => user.email, "198.51.100.9");
    expect((await attempt(user.email, PASSWORD, "198.51.100.9")).status).toBe(200);
    await failTimes(FAILURE_LIMITS.account - 1, () => user.email, "198.51.100.9");
    expect((await attempt(user.email, PASSWORD, "198.51.100.9")).status).toBe(200);
  });
});

describe("password change", () => {
  it("needs the current password, then only the new one works, and other sessions end", async () => {
    const { user, cookie } = await signedInUser();
    const elsewhere = await login(user.email);
    const change = (body: unknown) => call("/auth/password", { body, cookie });
    const wrong = await change({ currentPassword: "not it", newPassword: "a brand new passphrase" });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toContain("currentPassword");
    const short = await change({ currentPassword: PASSWORD, newPassword: "short" });
    expect(short.status).toBe(400);
    expect(short.json.error).toContain("newPassword");
    const changed = await change({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    expect(changed.status).toBe(204);
    const renewed = changed.headers.get("set-cookie")!.split(";")[0]!;
    expect((await call("/auth/me", { cookie: renewed })).status).toBe(200);
    expect((await call("/auth/me", { cookie: elsewhere })).status).toBe(401);
    expect((await call("/auth/login", { body: { email: user.email, password: PASSWORD } })).status).toBe(401);
    await login(user.email, "a brand new passphrase");
  });

  it("is for signed-in users only", async () => {
    expect((await call("/auth/password", { body: { currentPassword: PASSWORD, newPassword: "whatever it is now" } })).status).toBe(401);
  });
});

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async function loginWith(email: string, userAgent: string) {
  const response = await call("/auth/login", { body: { email, password: PASSWORD }, headers: { "user-agent": userAgent } });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

describe("server-side sessions", () => {
  it("logout ends the session on the server, not only the cookie", async () => {
    const { cookie } = await signedInUser();
    const logout = await call("/auth/logout", { cookie, method: "POST" });
    expect(logout.status).toBe(204);
    expect(logout.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await call("/auth/me", { cookie })).status).toBe(401);
    expect((await call("/auth/logout", { method: "POST" })).status).toBe(204);
  });

  it("lists a user's own sessions, ends one of them, then signs out everywhere", async () => {
    const { user } = await signedInUser();
    const [here, there] = [await loginWith(user.email, FIREFOX_LINUX), await loginWith(user.email, CHROME_WINDOWS)];
    const { user: stranger, cookie: strangers } = await signedInUser();
    const listed = await call("/auth/sessions", { cookie: here });
    expect(listed.status).toBe(200);
    const mine = listed.json.sessions as { id: string; device: string; current: boolean }[];
    expect(mine.filter((session) => session.current).map((session) => session.device)).toEqual(["Firefox on Linux"]);
    expect(mine.map((session) => session.device)).toContain("Chrome on Windows");
    expect(JSON.stringify(listed.json)).not.toContain(here.split("=")[1]);
    expect(listed.json.sessions[0]).toEqual(expect.objectContaining({ createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) }));

    const strangersSession = (await call("/auth/sessions", { cookie: strangers })).json.sessions[0].id;
    expect((await call(`/auth/sessions/${strangersSession}`, { cookie: here, method: "DELETE" })).status).toBe(404);
    expect((await call("/auth/me", { cookie: strangers })).json.user.id).toBe(stranger.id);

    const chrome = mine.find((session) => session.device === "Chrome on Windows")!;
    expect((await call(`/auth/sessions/${chrome.id}`, { cookie: here, method: "DELETE" })).status).toBe(204);
    expect((await call("/auth/me", { cookie: there })).status).toBe(401);
    expect((await call("/auth/me", { cookie: here })).status).toBe(200);

    const again = await loginWith(user.email, CHROME_WINDOWS);
    const everywhere = await call("/auth/sessions", { cookie: here, method: "DELETE" });
    expect(everywhere.status).toBe(204);
    expect(everywhere.headers.get("set-cookie")).toContain("Max-Age=0");
    for (const cookie of [here, again]) expect((await call("/auth/me", { cookie })).status).toBe(401);
    expect(await db().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toEqual([]);
  });

  it("stores only a keyed hash of the token and a device summary, and refuses an expired session", async () => {
    const { user, cookie } = await signedInUser();
    const rows = JSON.stringify(await db().select().from(sessions).where(eq(sessions.userId, user.id)).all());
    expect(rows).not.toContain(cookie.split("=")[1]);
    const monthAgo = Date.now() - SESSION_SECONDS * 1000 - 1000;
    const stale = await createSession(apiEnv.DB, sessionSecret(apiEnv), user.id, FIREFOX_LINUX, monthAgo);
    expect((await call("/auth/me", { cookie: `${SESSION_COOKIE}=${stale}` })).status).toBe(401);
    expect((await call("/auth/me", { cookie: `${SESSION_COOKIE}=pxc_${"0".repeat(64)}` })).status).toBe(401);
  });
});

describe("session secret", () => {
  it("refuses sessions signed with another secret", async () => {
    const { user } = await signedInUser();
    const cookie = await login(user.email);
    const other = { ...apiEnv, PIXEL_SESSION_SECRET: "another-secret-that-is-long-enough-9876543210" };
    expect((await call("/auth/me", { cookie }, other)).status).toBe(401);
  });
});
