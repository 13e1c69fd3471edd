import { describe, expect, it } from "vitest";
import { accessWorld, call } from "@pixel/test/support/workers/api";

describe("goals", () => {
  it("site admins add event and page goals; viewers list them but can't add or remove", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const path = `/sites/${a.id}/goals`;
    const signup = await call(path, { cookie: siteAdmin.cookie, body: { kind: "event", eventName: "signup" } });
    expect(signup.status).toBe(201);
    expect(signup.json.goal).toMatchObject({ kind: "event", eventName: "signup", pagePath: null, displayName: "signup" });
    const pricing = await call(path, { cookie: siteAdmin.cookie, body: { kind: "page", pagePath: "/pricing*", displayName: "Pricing" } });
    expect(pricing.json.goal).toMatchObject({ kind: "page", pagePath: "/pricing*", eventName: null });
    const listed = await call(path, { cookie: viewer.cookie });
    expect(listed.json.goals.map((goal: { displayName: string }) => goal.displayName)).toEqual(["signup", "Pricing"]);
    expect((await call(path, { cookie: viewer.cookie, body: { kind: "event", eventName: "x" } })).status).toBe(403);
    expect((await call(`${path}/${signup.json.goal.id}`, { cookie: viewer.cookie, method: "DELETE" })).status).toBe(403);
    expect((await call(path, { cookie: siteAdmin.cookie, body: { kind: "event", eventName: "signup" } })).status).toBe(409);
    expect((await call(`${path}/${signup.json.goal.id}`, { cookie: siteAdmin.cookie, method: "DELETE" })).status).toBe(204);
    expect((await call(path, { cookie: viewer.cookie })).json.goals).toHaveLength(1);
  });

  it("gives an event goal a currency, which makes it a revenue goal", async () => {
    const { a, siteAdmin, viewer } = await accessWorld();
    const path = `/sites/${a.id}/goals`;
    const purchase = await call(path, { cookie: siteAdmin.cookie, body: { kind: "event", eventName: "purchase", currency: "EUR" } });
    expect(purchase.status).toBe(201);
    expect(purchase.json.goal).toMatchObject({ eventName: "purchase", currency: "EUR" });
    await call(path, { cookie: siteAdmin.cookie, body: { kind: "event", eventName: "signup" } });
    const listed = await call(path, { cookie: viewer.cookie });
    expect(listed.json.goals.map((goal: { currency: string | null }) => goal.currency)).toEqual(["EUR", null]);
  });

  it("keeps goals to their site", async () => {
    const { a, b, siteAdmin, globalAdmin } = await accessWorld();
    const goal = await call(`/sites/${b.id}/goals`, { cookie: globalAdmin.cookie, body: { kind: "event", eventName: "b-only" } });
    expect((await call(`/sites/${b.id}/goals`, { cookie: siteAdmin.cookie })).status).toBe(404);
    const crossSite = await call(`/sites/${a.id}/goals/${goal.json.goal.id}`, { cookie: siteAdmin.cookie, method: "DELETE" });
    expect(crossSite.status).toBe(404);
    expect((await call(`/sites/${b.id}/goals`, { cookie: globalAdmin.cookie })).json.goals).toHaveLength(1);
  });

  it.each([
    [{ kind: "funnel", eventName: "x" }, "kind"],
    [{ kind: "event" }, "eventName"],
    [{ kind: "page", pagePath: "pricing" }, "pagePath"],
    [{ kind: "event", eventName: "x", pagePath: "/x" }, "pagePath"],
    [{ kind: "event", eventName: "x", currency: "euro" }, "currency: must be an ISO 4217 code"],
    [{ kind: "page", pagePath: "/x", currency: "EUR" }, "currency"],
  ])("refuses a bad goal %# with a 400 naming the field", async (body, field) => {
    const { a, siteAdmin } = await accessWorld();
    const response = await call(`/sites/${a.id}/goals`, { cookie: siteAdmin.cookie, body });
    expect(response.status).toBe(400);
    expect(response.json.error).toContain(field);
  });
});
