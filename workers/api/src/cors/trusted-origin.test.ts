import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sites } from "@pixel/lib/d1/schema";
import visitorsCsv from "@pixel/lib/import/fixtures/plausible/imported_visitors_20240301_20240302.csv?raw";
import { countRows } from "@pixel/test/support/workers/api-data";
import { accessWorld, apiEnv, call, db, PASSWORD, signedInUser } from "@pixel/test/support/workers/api";

const HOSTILE = { origin: "https://evil.example" };
const DASHBOARD = "https://pixel-dashboard.pages.dev";
const crossOrigin = { ...apiEnv, PIXEL_DASHBOARD_ORIGIN: DASHBOARD };

describe("state changes with the session cookie from another origin", () => {
  it("are refused with a 403 naming the origin: import, sharing on, deleting the site", async () => {
    const { a, owner } = await accessWorld();
    const imported = await call(`/sites/${a.id}/imports`, { cookie: owner.cookie, method: "POST", body: visitorsCsv, headers: { ...HOSTILE, "content-type": "text/csv" } });
    expect(imported.status).toBe(403);
    expect(imported.json.error).toContain("https://evil.example");
    const form = new FormData();
    form.set("file", new File([visitorsCsv], "visitors.csv", { type: "text/csv" }));
    const posted = new Response(form);
    const formImport = await call(`/sites/${a.id}/imports`, {
      cookie: owner.cookie, method: "POST", body: await posted.text(), headers: { ...HOSTILE, "content-type": posted.headers.get("content-type")! },
    });
    expect(formImport.status).toBe(403);
    const shared = await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST", headers: HOSTILE });
    expect(shared.status).toBe(403);
    const deleted = await call(`/sites/${a.id}`, { cookie: owner.cookie, method: "DELETE", headers: HOSTILE });
    expect(deleted.status).toBe(403);

    const site = await db().select().from(sites).where(eq(sites.id, a.id)).get();
    expect(site).toMatchObject({ publicShare: false });
    expect(await countRows("events", a.id)).toBe(0);
  });

  it("are refused without an Origin header, and allowed from the api's own origin", async () => {
    const { a, owner } = await accessWorld();
    const bare = await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST", headers: { origin: "" } });
    expect(bare.status).toBe(403);
    expect(bare.json.error).toContain("Origin");
    expect((await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST" })).status).toBe(201);
  });

  it("include signing in, so no page can sign a visitor into its own account", async () => {
    const { user } = await signedInUser();
    const login = await call("/auth/login", { body: { email: user.email, password: PASSWORD }, headers: HOSTILE });
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
  });

  it("leave reads and API keys alone", async () => {
    const { a, owner } = await accessWorld();
    expect((await call(`/sites/${a.id}`, { cookie: owner.cookie, headers: HOSTILE })).status).toBe(200);
    const key = (await call("/keys", { cookie: owner.cookie, body: { name: "ci", siteIds: [a.id] } })).json.token;
    const query = { site_id: a.id, metrics: ["visitors"], date_range: "7d" };
    const byKey = await call("/v2/query", { body: query, headers: { authorization: `Bearer ${key}`, origin: "" } });
    expect(byKey.status).toBe(200);
    const keyAndCookie = await call("/v2/query", { cookie: owner.cookie, body: query, headers: { ...HOSTILE, authorization: `Bearer ${key}` } });
    expect(keyAndCookie.status, "a cookie along with the key is still checked").toBe(403);
  });

  it("in cross-origin mode come only from the configured dashboard", async () => {
    const { a, owner } = await accessWorld();
    const fromDashboard = await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST", headers: { origin: DASHBOARD } }, crossOrigin);
    expect(fromDashboard.status).toBe(201);
    const fromApiOrigin = await call(`/sites/${a.id}/share`, { cookie: owner.cookie, method: "POST" }, crossOrigin);
    expect(fromApiOrigin.status).toBe(403);
    expect(fromApiOrigin.json.error).toContain(DASHBOARD);
  });
});
