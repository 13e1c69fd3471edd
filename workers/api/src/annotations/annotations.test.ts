import { describe, expect, it } from "vitest";
import { randomId } from "@pixel/lib/auth/ids";
import { annotations } from "@pixel/lib/d1/schema";
import { accessWorld, call, db } from "@pixel/test/support/workers/api";
import { MAX_ANNOTATION_LENGTH, MAX_ANNOTATIONS } from "@pixel/lib/annotations";

describe("annotations", () => {
  it("site admins write dated notes; viewers read them by date, within a range", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const path = `/sites/${a.id}/annotations`;
    const pricing = await call(path, { cookie: siteAdmin.cookie, body: { date: "2026-03-10", text: "  launched pricing v2 " } });
    expect(pricing.status).toBe(201);
    expect(pricing.json.annotation).toEqual({ id: expect.any(String), date: "2026-03-10", text: "launched pricing v2" });
    await call(path, { cookie: siteAdmin.cookie, body: { date: "2026-02-01", text: "new blog" } });
    await call(path, { cookie: siteAdmin.cookie, body: { date: "2026-04-01", text: "ads off" } });

    const all = await call(path, { cookie: viewer.cookie });
    expect(all.json.annotations.map((note: { date: string }) => note.date)).toEqual(["2026-02-01", "2026-03-10", "2026-04-01"]);
    const march = await call(`${path}?from=2026-03-01&to=2026-03-31`, { cookie: viewer.cookie });
    expect(march.json.annotations).toEqual([pricing.json.annotation]);

    const id = pricing.json.annotation.id;
    const moved = await call(`${path}/${id}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { date: "2026-03-11" } });
    expect(moved.json.annotation).toEqual({ id, date: "2026-03-11", text: "launched pricing v2" });
    expect((await call(`${path}/${id}`, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(204);
    expect((await call(path, { cookie: viewer.cookie })).json.annotations).toHaveLength(2);
  });

  it("lets viewers read but not write, and keeps annotations to their site", async () => {
    const { a, b, siteAdmin, viewer, globalAdmin } = await accessWorld();
    const mine = await call(`/sites/${a.id}/annotations`, { cookie: siteAdmin.cookie, body: { date: "2026-01-05", text: "a" } });
    const id = mine.json.annotation.id;
    const refused = [
      await call(`/sites/${a.id}/annotations`, { cookie: viewer.cookie, body: { date: "2026-01-05", text: "b" } }),
      await call(`/sites/${a.id}/annotations/${id}`, { cookie: viewer.cookie, method: "PATCH", body: { text: "b" } }),
      await call(`/sites/${a.id}/annotations/${id}`, { cookie: viewer.cookie, method: "DELETE" }),
    ];
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403]);
    expect(refused[0]!.json.error).toContain("needs a site admin");

    expect((await call(`/sites/${b.id}/annotations`, { cookie: viewer.cookie })).status).toBe(404);
    const other = await call(`/sites/${b.id}/annotations`, { cookie: globalAdmin.cookie, body: { date: "2026-01-06", text: "b only" } });
    const crossSite = await call(`/sites/${a.id}/annotations/${other.json.annotation.id}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { text: "x" } });
    expect(crossSite.status).toBe(404);
    expect(crossSite.json.error).toContain("annotationId");
    expect((await call(`/sites/${a.id}/annotations/${other.json.annotation.id}`, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(404);
    expect((await call(`/sites/${a.id}/annotations`)).status).toBe(401);
  });

  it("stays out of share links: their token reads stats, not the team's notes", async () => {
    const { a, siteAdmin } = await accessWorld();
    await call(`/sites/${a.id}/annotations`, { cookie: siteAdmin.cookie, body: { date: "2026-01-05", text: "secret plan" } });
    const { token } = (await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, body: {} })).json;
    const shared = await call(`/sites/${a.id}/annotations`, { headers: { authorization: `Bearer ${token}` } });
    expect(shared.status).toBe(401);
    expect(shared.text).not.toContain("secret plan");
  });

  it.each([
    [{ date: "2026-02-30", text: "x" }, "date"],
    [{ date: "10/03/2026", text: "x" }, "date"],
    [{ date: "2026-03-10", text: "   " }, "text"],
    [{ date: "2026-03-10", text: "x".repeat(MAX_ANNOTATION_LENGTH + 1) }, `at most ${MAX_ANNOTATION_LENGTH}`],
    [{ date: "2026-03-10" }, "text"],
    [{ date: "2026-03-10", text: "x", colour: "red" }, "colour"],
  ])("refuses a bad annotation %# with a 400 naming the field", async (body, named) => {
    const { a, siteAdmin } = await accessWorld();
    const response = await call(`/sites/${a.id}/annotations`, { cookie: siteAdmin.cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(named);
  });

  it(`holds at most ${MAX_ANNOTATIONS} annotations a site, refusing more with a 409 naming the limit`, async () => {
    const { a, siteAdmin } = await accessWorld();
    const rows = Array.from({ length: MAX_ANNOTATIONS }, (_, i) => ({ id: randomId(), siteId: a.id, date: "2026-01-01", text: `note ${i}` }));
    for (let i = 0; i < rows.length; i += 20) await db().insert(annotations).values(rows.slice(i, i + 20));
    const response = await call(`/sites/${a.id}/annotations`, { cookie: siteAdmin.cookie, body: { date: "2026-01-02", text: "one more" } });
    expect(response.status).toBe(409);
    expect(response.json.error).toContain(String(MAX_ANNOTATIONS));
  });

  it("refuses a bad range with a 400", async () => {
    const { a, viewer } = await accessWorld();
    const response = await call(`/sites/${a.id}/annotations?from=yesterday`, { cookie: viewer.cookie });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain("from");
  });
});
