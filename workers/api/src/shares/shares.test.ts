import { describe, expect, it } from "vitest";
import { sites } from "@pixel/lib/d1/schema";
import { accessWorld, call, db } from "@pixel/test/support/workers/api";

const query = (siteId: string, token: string) =>
  call("/v2/query", { body: { site_id: siteId, metrics: ["visitors"], date_range: "7d" }, headers: { authorization: `Bearer ${token}` } });

describe("public share links", () => {
  it("site admins turn sharing on; the token answers for that one site, without signing in", async () => {
    const { a, b, siteAdmin, viewer } = await accessWorld();
    expect((await call(`/sites/${a.id}/share`, { cookie: viewer.cookie, method: "POST" })).status).toBe(403);
    const shared = await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "POST" });
    expect(shared.status).toBe(201);
    const token: string = shared.json.token;
    expect(token).toMatch(/^pxs_[0-9a-f]{64}$/);
    expect((await call(`/sites/${a.id}`, { cookie: viewer.cookie })).json.site.publicShare).toBe(true);
    expect(JSON.stringify(await db().select().from(sites).all())).not.toContain(token);

    const info = await call(`/share/${token}`);
    expect(info.status).toBe(200);
    expect(info.json.site).toEqual({ id: a.id, domain: a.domain, name: a.name, timezone: a.timezone });
    expect((await query(a.id, token)).status).toBe(200);
    const otherSite = await query(b.id, token);
    expect(otherSite.status).toBe(404);
    expect((await call("/sites", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("a new token retires the old one, and turning sharing off retires both", async () => {
    const { a, owner } = await accessWorld();
    const first = (await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST" })).json.token;
    const second = (await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST" })).json.token;
    expect((await query(a.id, first)).status).toBe(401);
    expect((await query(a.id, second)).status).toBe(200);
    expect((await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "DELETE" })).status).toBe(204);
    expect((await query(a.id, second)).status).toBe(401);
    expect((await call(`/share/${second}`)).status).toBe(404);
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie })).json.site.publicShare).toBe(false);
  });

  it("may be embedded by the site's own https pages once a site admin allows it, and by nobody before", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const token = (await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "POST" })).json.token;
    expect((await call(`/share/${token}`)).json.frameAncestors).toEqual([]);
    expect((await call(`/sites/${a.id}/share`, { cookie: viewer.cookie, method: "PATCH", body: { embed: true } })).status).toBe(403);
    const wrong = await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "PATCH", body: { embed: "yes" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toContain("embed");

    const on = await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "PATCH", body: { embed: true } });
    expect(on.json).toEqual({ embed: true });
    expect((await call(`/sites/${a.id}`, { cookie: viewer.cookie })).json.site.shareEmbed).toBe(true);
    expect((await call(`/share/${token}`)).json.frameAncestors).toEqual([`https://${a.domain}`, `https://*.${a.domain}`]);
    await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "PATCH", body: { embed: false } });
    expect((await call(`/share/${token}`)).json.frameAncestors).toEqual([]);
  });
});
