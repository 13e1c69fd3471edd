import { describe, expect, it } from "vitest";
import { loginFailures } from "../../../../lib/d1/schema";
import { apiEnv, call, db, login, PASSWORD, signedInUser, unique } from "../test-support";
import { FAILURE_LIMITS } from "./rate-limit";

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

describe("session secret", () => {
  it("refuses sessions signed with another secret", async () => {
    const { user } = await signedInUser();
    const cookie = await login(user.email);
    const other = { ...apiEnv, PIXEL_SESSION_SECRET: "another-secret-that-is-long-enough-9876543210" };
    expect((await call("/auth/me", { cookie }, other)).status).toBe(401);
  });
});
