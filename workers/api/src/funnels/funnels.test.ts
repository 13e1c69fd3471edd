import { describe, expect, it } from "vitest";
import { randomId } from "@pixel/lib/auth/ids";
import { funnels } from "@pixel/lib/d1/schema";
import { type FunnelStep, MAX_FUNNEL_STEPS, MAX_FUNNELS } from "@pixel/lib/funnels";
import { accessWorld, call, db } from "@pixel/test/support/workers/api";

const signup: { name: string; steps: FunnelStep[] } = {
  name: "Signup",
  steps: [
    { kind: "page", pagePath: "/pricing*" },
    { kind: "event", eventName: "Signup", property: { name: "plan", value: "pro" } },
  ],
};

describe("funnels", () => {
  it("site admins define, change and remove funnels; viewers read them", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const path = `/sites/${a.id}/funnels`;
    const created = await call(path, { cookie: siteAdmin.cookie, body: { ...signup, name: "  Signup " } });
    expect(created.status).toBe(201);
    expect(created.json.funnel).toEqual({ id: expect.any(String), ...signup });
    const id = created.json.funnel.id;

    expect((await call(path, { cookie: viewer.cookie })).json.funnels).toEqual([created.json.funnel]);
    expect((await call(`${path}/${id}`, { cookie: viewer.cookie })).json.funnel).toEqual(created.json.funnel);
    const renamed = await call(`${path}/${id}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { name: "Pro signup" } });
    expect(renamed.json.funnel).toEqual({ id, ...signup, name: "Pro signup" });
    expect((await call(`${path}/${id}`, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(204);
    expect((await call(path, { cookie: viewer.cookie })).json.funnels).toEqual([]);
  });

  it("lets viewers read but not write, and keeps funnels to their site", async () => {
    const { a, b, siteAdmin, viewer, globalAdmin } = await accessWorld();
    const id = (await call(`/sites/${a.id}/funnels`, { cookie: siteAdmin.cookie, body: signup })).json.funnel.id;
    const refused = [
      await call(`/sites/${a.id}/funnels`, { cookie: viewer.cookie, body: signup }),
      await call(`/sites/${a.id}/funnels/${id}`, { cookie: viewer.cookie, method: "PATCH", body: { name: "x" } }),
      await call(`/sites/${a.id}/funnels/${id}`, { cookie: viewer.cookie, method: "DELETE" }),
    ];
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403]);
    expect(refused[0]!.json.error).toContain("needs a site admin");

    const other = (await call(`/sites/${b.id}/funnels`, { cookie: globalAdmin.cookie, body: signup })).json.funnel.id;
    const crossSite = await call(`/sites/${a.id}/funnels/${other}`, { cookie: siteAdmin.cookie, method: "PATCH", body: { name: "x" } });
    expect(crossSite.status).toBe(404);
    expect(crossSite.json.error).toContain("funnelId");
    expect((await call(`/sites/${a.id}/funnels/${other}`, { cookie: viewer.cookie })).status).toBe(404);
    expect((await call(`/sites/${a.id}/funnels`)).status).toBe(401);
  });

  const step = { kind: "page", pagePath: "/" };
  it.each([
    [{ name: "x", steps: [step] }, "2 to 8 steps"],
    [{ name: "x", steps: Array.from({ length: MAX_FUNNEL_STEPS + 1 }, () => step) }, "2 to 8 steps"],
    [{ name: "  ", steps: [step, step] }, "name"],
    [{ name: "x", steps: [step, { kind: "page", pagePath: "pricing" }] }, "starts with /"],
    [{ name: "x", steps: [step, { kind: "click", pagePath: "/" }] }, "kind is page or event"],
    [{ name: "x", steps: [step, { kind: "event", eventName: "" }] }, "steps.1.eventName"],
    [{ name: "x", steps: [step, { kind: "event", eventName: "a", property: { name: "plan" } }] }, "steps.1.property.value"],
    [{ name: "x", steps: [step, { kind: "page", pagePath: "/", property: { name: "a", value: "b" } }] }, "property"],
  ])("refuses a bad funnel %# with a 400 naming the problem", async (body, named) => {
    const { a, siteAdmin } = await accessWorld();
    const response = await call(`/sites/${a.id}/funnels`, { cookie: siteAdmin.cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(named);
  });

  it(`holds at most ${MAX_FUNNELS} funnels a site, refusing more with a 409 naming the limit`, async () => {
    const { a, siteAdmin } = await accessWorld();
    const rows = Array.from({ length: MAX_FUNNELS }, (_, i) => ({ id: randomId(), siteId: a.id, name: `funnel ${i}`, steps: signup.steps }));
    for (let i = 0; i < rows.length; i += 10) await db().insert(funnels).values(rows.slice(i, i + 10));
    const response = await call(`/sites/${a.id}/funnels`, { cookie: siteAdmin.cookie, body: signup });
    expect(response.status).toBe(409);
    expect(response.json.error).toContain(String(MAX_FUNNELS));
  });
});
