import { describe, expect, it } from "vitest";
import { apiEnv, call, PASSWORD, signedInUser } from "@pixel/test/support/workers/api";

const DASHBOARD = "https://pixel-dashboard.pages.dev";
const crossOrigin = { ...apiEnv, PIXEL_DASHBOARD_ORIGIN: `${DASHBOARD}/` };

describe("a dashboard on another origin", () => {
  it("gets CORS answers with credentials, and no other origin does", async () => {
    const preflight = await call(
      "/v2/query",
      { method: "OPTIONS", headers: { origin: DASHBOARD, "access-control-request-method": "POST" } },
      crossOrigin,
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");

    const stranger = await call("/health", { headers: { origin: "https://evil.example" } }, crossOrigin);
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
    const friend = await call("/health", { headers: { origin: DASHBOARD } }, crossOrigin);
    expect(friend.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
  });

  it("receives a session cookie that browsers send cross-site", async () => {
    const { user } = await signedInUser();
    const login = await call("/auth/login", { body: { email: user.email, password: PASSWORD }, headers: { origin: DASHBOARD } }, crossOrigin);
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-pixel_session=/);
    expect(cookie).toMatch(/SameSite=None/i);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it("is not needed when the dashboard shares the api's origin: no CORS, and a __Host- cookie that stays on this site", async () => {
    const { user } = await signedInUser();
    const login = await call("/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.headers.get("access-control-allow-origin")).toBeNull();
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-pixel_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const logout = await call("/auth/logout", { method: "POST", cookie: cookie.split(";")[0] });
    expect(logout.headers.get("set-cookie")).toMatch(/^__Host-pixel_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  });
});
