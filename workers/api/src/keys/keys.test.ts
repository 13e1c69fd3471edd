import { describe, expect, it } from "vitest";
import { apiKeys } from "@pixel/lib/d1/schema";
import { accessWorld, call, db, signedInUser } from "@pixel/test/support/workers/api";

const query = (siteId: string, token: string) =>
  call("/v2/query", { body: { site_id: siteId, metrics: ["visitors"], date_range: "7d" }, headers: { authorization: `Bearer ${token}` } });

describe("API keys", () => {
  it("are shown once, stored hashed, and answer stats queries for their sites only", async () => {
    const { a, b, globalAdmin } = await accessWorld();
    const created = await call("/keys", { cookie: globalAdmin.cookie, body: { name: "CI export", siteIds: [a.id] } });
    expect(created.status).toBe(201);
    const token: string = created.json.token;
    expect(token).toMatch(/^pxk_[0-9a-f]{64}$/);
    const listed = await call("/keys", { cookie: globalAdmin.cookie });
    expect(listed.json.keys).toEqual([expect.objectContaining({ name: "CI export", siteIds: [a.id], prefix: token.slice(0, 12) })]);
    expect(JSON.stringify(listed.json)).not.toContain(token);
    expect(JSON.stringify(await db().select().from(apiKeys).all())).not.toContain(token);

    expect((await query(a.id, token)).status).toBe(200);
    const otherSite = await query(b.id, token);
    expect(otherSite.status).toBe(404);
    expect(otherSite.json.error).toContain("site_id");
  });

  it("are read-only: only the stats routes take them", async () => {
    const { a, owner } = await accessWorld();
    const { json } = await call("/keys", { cookie: owner.cookie, body: { name: "read", siteIds: [a.id] } });
    const bearer = { authorization: `Bearer ${json.token}` };
    expect((await call("/sites", { headers: bearer })).status).toBe(401);
    expect((await call(`/sites/${a.id}`, { headers: bearer, method: "PATCH", body: { name: "x" } })).status).toBe(401);
    expect((await call("/keys", { headers: bearer, body: { name: "more", siteIds: [a.id] } })).status).toBe(401);
  });

  it("can only name sites their maker can see, and stop working when revoked or when the maker loses access", async () => {
    const { a, b, owner, viewer, globalAdmin } = await accessWorld();
    const forbidden = await call("/keys", { cookie: viewer.cookie, body: { name: "b", siteIds: [b.id] } });
    expect(forbidden.status).toBe(400);
    expect(forbidden.json.error).toContain("siteIds");
    const made = await call("/keys", { cookie: viewer.cookie, body: { name: "a", siteIds: [a.id] } });
    expect((await query(a.id, made.json.token)).status).toBe(200);
    await call(`/sites/${a.id}/members/${viewer.user.id}`, { cookie: owner.cookie, method: "DELETE" });
    expect((await query(a.id, made.json.token)).status).toBe(404);

    const second = await call("/keys", { cookie: globalAdmin.cookie, body: { name: "b", siteIds: [b.id] } });
    expect((await call(`/keys/${second.json.key.id}`, { cookie: viewer.cookie, method: "DELETE" })).status).toBe(404);
    expect((await call(`/keys/${second.json.key.id}`, { cookie: globalAdmin.cookie, method: "DELETE" })).status).toBe(204);
    const revoked = await query(b.id, second.json.token);
    expect(revoked.status).toBe(401);
    expect(revoked.json.error).toContain("authorization");
  });

  it("stop working when their maker is disabled, and refuse made-up tokens", async () => {
    const { a, owner } = await accessWorld();
    const admin = await signedInUser("admin");
    const { json } = await call("/keys", { cookie: owner.cookie, body: { name: "k", siteIds: [a.id] } });
    await call(`/users/${owner.user.id}`, { cookie: admin.cookie, method: "PATCH", body: { disabled: true } });
    expect((await query(a.id, json.token)).status).toBe(401);
    expect((await query(a.id, `pxk_${"0".repeat(64)}`)).status).toBe(401);
    expect((await query(a.id, "not-a-token")).status).toBe(401);
    expect((await call("/v2/query", { body: {}, headers: { authorization: "Basic abc" } })).status).toBe(401);
  });
});
