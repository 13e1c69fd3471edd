import { afterEach, describe, expect, it } from "vitest";
import { call, PASSWORD, signedInUser } from "@pixel/test/support/workers/api";

describe("installation settings", () => {
  afterEach(async () => {
    const { cookie } = await signedInUser("admin");
    await call("/settings", { cookie, method: "PUT", body: { requireTwoFactor: false } });
  });

  it("are for global admins only, and refuse a bad value naming it", async () => {
    const { cookie } = await signedInUser();
    expect((await call("/settings")).status).toBe(401);
    expect((await call("/settings", { cookie })).status).toBe(403);
    expect((await call("/settings", { cookie, method: "PUT", body: { requireTwoFactor: true } })).status).toBe(403);
    const { cookie: admin } = await signedInUser("admin");
    const bad = await call("/settings", { cookie: admin, method: "PUT", body: { requireTwoFactor: "yes" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain("requireTwoFactor");
  });

  it("requiring two-factor sign-in for everyone sends every account without an authenticator to enrolment", async () => {
    const { cookie: admin } = await signedInUser("admin");
    const { user } = await signedInUser();
    expect((await call("/settings", { cookie: admin })).json).toEqual({ requireTwoFactor: false });
    expect((await call("/settings", { cookie: admin, method: "PUT", body: { requireTwoFactor: true } })).json).toEqual({ requireTwoFactor: true });
    expect((await call("/settings", { cookie: admin })).json).toEqual({ requireTwoFactor: true });
    const signIn = await call("/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(signIn.json.secondFactor.kind).toBe("enrol");
    expect(signIn.headers.get("set-cookie")).toBeNull();
    await call("/settings", { cookie: admin, method: "PUT", body: { requireTwoFactor: false } });
    expect((await call("/auth/login", { body: { email: user.email, password: PASSWORD } })).json.user.id).toBe(user.id);
  });
});
