import { describe, expect, it } from "vitest";
import { upsertAdmin } from "@pixel/lib/d1/accounts";
import { totpAt } from "../auth/totp";
import { accessWorld, call, db, login, PASSWORD, signedInUser, unique } from "@pixel/test/support/workers/api";

describe("users management", () => {
  it("is for global admins only", async () => {
    const { cookie } = await signedInUser();
    expect((await call("/users")).status).toBe(401);
    expect((await call("/users", { cookie })).status).toBe(403);
    expect((await call("/users", { cookie, body: { email: "x@pixel.test", password: PASSWORD } })).status).toBe(403);
  });

  it("creates a user with a random id and no password hash in the answer, once per e-mail", async () => {
    const { cookie } = await signedInUser("admin");
    const email = `${unique("New.Person")}@Pixel.test`;
    const created = await call("/users", { cookie, body: { email, name: "New Person", password: PASSWORD } });
    expect(created.status).toBe(201);
    expect(created.json.user).toMatchObject({ email: email.toLowerCase(), name: "New Person", role: "user", disabled: false });
    expect(JSON.stringify(created.json)).not.toMatch(/pbkdf2|passwordHash/);
    expect(created.json.user.id).toMatch(/^[0-9a-z]{16}$/);
    expect(created.json.user.id).not.toContain("new");
    expect((await call("/users", { cookie, body: { email, password: PASSWORD } })).status).toBe(409);
    const list = await call("/users", { cookie });
    expect(list.json.users.map((user: { email: string }) => user.email)).toContain(email.toLowerCase());
    await login(email);
  });

  it.each([
    [{ email: "not-an-email", password: PASSWORD }, "email"],
    [{ email: "a@pixel.test", password: "short" }, "password"],
    [{ email: "a@pixel.test", password: PASSWORD, role: "root" }, "role"],
  ])("refuses a bad new user %# with a 400 naming the field", async (body, field) => {
    const { cookie } = await signedInUser("admin");
    const response = await call("/users", { cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(field);
  });

  it("changes a role, resets a password, disables (ending sessions) and deletes", async () => {
    const { cookie } = await signedInUser("admin");
    const target = await signedInUser();
    const patch = (body: unknown) => call(`/users/${target.user.id}`, { cookie, method: "PATCH", body });
    expect((await patch({ role: "admin" })).json.user.role).toBe("admin");
    expect((await call("/users", { cookie: target.cookie })).status).toBe(200);
    expect((await patch({ password: "reset by an admin" })).status).toBe(200);
    expect((await call("/auth/me", { cookie: target.cookie })).status).toBe(401);
    await login(target.user.email, "reset by an admin");
    expect((await patch({ disabled: true })).json.user.disabled).toBe(true);
    expect((await call("/auth/me", { cookie: target.cookie })).status).toBe(401);
    expect((await call("/auth/login", { body: { email: target.user.email, password: "reset by an admin" } })).status).toBe(401);
    expect((await call(`/users/${target.user.id}`, { cookie, method: "DELETE" })).status).toBe(204);
    expect((await call(`/users/${target.user.id}`, { cookie, method: "DELETE" })).status).toBe(404);
    expect((await patch({ name: "ghost" })).status).toBe(404);
  });

  it.each<[{ password?: string; disabled?: boolean }]>([[{ password: "reset by an admin" }], [{ disabled: true }]])("%o ends every session and API key of that user", async (change) => {
    const { a, owner } = await accessWorld();
    const { cookie } = await signedInUser("admin");
    const elsewhere = await login(owner.user.email);
    const { json } = await call("/keys", { cookie: owner.cookie, body: { name: "export", siteIds: [a.id] } });
    const response = await call(`/users/${owner.user.id}`, { cookie, method: "PATCH", body: change });
    expect(response.status).toBe(200);
    expect(response.json.ended).toEqual({ sessions: 2, apiKeys: 1 });
    for (const session of [owner.cookie, elsewhere]) expect((await call("/auth/me", { cookie: session })).status).toBe(401);
    await call(`/users/${owner.user.id}`, { cookie, method: "PATCH", body: { disabled: false } });
    const query = { site_id: a.id, metrics: ["visitors"], date_range: "7d" };
    expect((await call("/v2/query", { body: query, headers: { authorization: `Bearer ${json.token}` } })).status).toBe(401);
    expect((await call("/keys", { cookie: await login(owner.user.email, change.password ?? PASSWORD) })).json.keys).toEqual([]);
  });

  it("won't let an admin lock themselves out", async () => {
    const { user, cookie } = await signedInUser("admin");
    const demote = await call(`/users/${user.id}`, { cookie, method: "PATCH", body: { role: "user" } });
    expect(demote.status).toBe(400);
    expect(demote.json.error).toContain("role");
    expect((await call(`/users/${user.id}`, { cookie, method: "PATCH", body: { disabled: true } })).json.error).toContain("disabled");
    expect((await call(`/users/${user.id}`, { cookie, method: "DELETE" })).status).toBe(400);
    expect((await call("/auth/me", { cookie })).json.user.role).toBe("admin");
  });
});

describe("upsertAdmin (npm run create-admin)", () => {
  it("resets the two-factor sign-in of an admin who lost their authenticator", async () => {
    const { user, cookie } = await signedInUser("admin");
    const { json } = await call("/auth/two-factor/enrol", { cookie, method: "POST" });
    expect((await call("/auth/two-factor/confirm", { cookie, body: { code: await totpAt(json.secret, Date.now()) } })).status).toBe(200);
    expect((await call("/auth/login", { body: { email: user.email, password: PASSWORD } })).json.secondFactor.kind).toBe("code");
    await upsertAdmin(db(), { email: user.email, password: PASSWORD });
    expect((await call("/auth/login", { body: { email: user.email, password: PASSWORD } })).json.user.id).toBe(user.id);
  });

  it("creates a global admin, or promotes, re-enables and re-keys an existing account, ending its sessions and keys", async () => {
    const email = `${unique("first")}@pixel.test`;
    const first = await upsertAdmin(db(), { email, password: PASSWORD });
    expect(first).toMatchObject({ created: true, user: { email, role: "admin", disabled: false } });
    const { user, cookie } = await signedInUser();
    await call(`/users/${user.id}`, { cookie: await login(email), method: "PATCH", body: { disabled: true } });
    const again = await upsertAdmin(db(), { email: user.email.toUpperCase(), password: "a fresh admin password" });
    expect(again).toMatchObject({ created: false, user: { id: user.id, role: "admin", disabled: false } });
    expect((await call("/users", { cookie: await login(user.email, "a fresh admin password") })).status).toBe(200);
    expect((await call("/auth/me", { cookie })).status).toBe(401);
  });
});
