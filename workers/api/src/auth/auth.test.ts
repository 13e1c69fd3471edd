import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { loginAttempts, sessions } from "@pixel/lib/d1/schema";
import { apiEnv, call, db, login, PASSWORD, signedInUser, unique } from "@pixel/test/support/workers/api";
import { ATTEMPT_LIMITS } from "./rate-limit";
import { SESSION_COOKIE, sessionSecret } from "./session";
import { createSession, SESSION_SECONDS, sessionLookup } from "./session-store";

const attempt = (email: string, password: string, ip: string) =>
  call("/auth/login", { body: { email, password }, headers: { "cf-connecting-ip": ip } });

async function failTimes(times: number, email: (i: number) => string, ip: string) {
  for (let i = 0; i < times; i++) expect((await attempt(email(i), "wrong password", ip)).status).toBe(401);
}

describe("login rate limit", () => {
  it("counts exactly under a parallel burst: only the limit's worth of attempts get a password check", async () => {
    const { user } = await signedInUser();
    const burst = await Promise.all(Array.from({ length: 30 }, () => attempt(user.email, "wrong password", "100.64.1.40")));
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(ATTEMPT_LIMITS.account);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - ATTEMPT_LIMITS.account);
    const refused = burst.find((response) => response.status === 429)!;
    expect(refused.json.error).toMatch(/^too many sign-in attempts for this account from your network: try again in \d+ minutes$/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a stranger who knows an admin's e-mail cannot lock the admin out", async () => {
    const { user: admin } = await signedInUser("admin");
    await failTimes(ATTEMPT_LIMITS.account, () => admin.email, "100.64.2.1");
    const strangerNetwork = await attempt(admin.email, PASSWORD, "100.64.2.200");
    expect(strangerNetwork.status).toBe(429);
    expect((await attempt(admin.email, PASSWORD, "100.64.3.10")).status).toBe(200);
    expect((await attempt(admin.email, PASSWORD, "2001:db8:5::1")).status).toBe(200);
  });

  it("limits one network trying many accounts, IPv6 counted by /64, and only that network", async () => {
    await failTimes(ATTEMPT_LIMITS.network, () => `${unique("ghost")}@pixel.test`, "2001:db8:77:1::1");
    const { user } = await signedInUser();
    const limited = await attempt(user.email, PASSWORD, "2001:db8:77:1:ffff::9");
    expect(limited.status).toBe(429);
    expect(limited.json.error).toContain("from your network");
    expect((await attempt(user.email, PASSWORD, "2001:db8:77:2::1")).status).toBe(200);
  });

  it("stores neither the IP nor the e-mail address of an attempt", async () => {
    const email = `${unique("probe")}@pixel.test`;
    await failTimes(1, () => email, "192.0.2.123");
    const stored = JSON.stringify(await db().select().from(loginAttempts).all());
    expect(stored.length).toBeGreaterThan(2);
    for (const secret of ["192.0.2.123", "192.0.2.0", email]) expect(stored).not.toContain(secret);
  });

  it("forgets an account's attempts from a network after a successful sign-in there", async () => {
    const { user } = await signedInUser();
    await failTimes(ATTEMPT_LIMITS.account - 1, () => user.email, "100.64.4.9");
    expect((await attempt(user.email, PASSWORD, "100.64.4.9")).status).toBe(200);
    await failTimes(ATTEMPT_LIMITS.account - 1, () => user.email, "100.64.4.9");
    expect((await attempt(user.email, PASSWORD, "100.64.4.9")).status).toBe(200);
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

describe("requireUser's cost", () => {
  it("is one lookup by the token hash's unique index, joined to the user by primary key, scanning nothing", async () => {
    const { sql, params } = sessionLookup(apiEnv.DB, "f".repeat(64), Date.now()).toSQL();
    const plan = await apiEnv.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
    const steps = plan.results.map((row) => row.detail);
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatch(/^SEARCH sessions USING INDEX sessions_token_hash_unique \(token_hash=\?\)$/);
    expect(steps[1]).toMatch(/^SEARCH users USING INDEX sqlite_autoindex_users_1 \(id=\?\)$/);
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
