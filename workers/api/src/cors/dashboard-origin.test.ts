import { describe, expect, it } from "vitest";
import { apiEnv, call, PASSWORD, signedInUser } from "../test-support";

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
    expect(cookie).toMatch(/SameSite=None/i);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it("changes nothing when the dashboard shares the api's origin", async () => {
    const { user } = await signedInUser();
    const login = await call("/auth/login", { body: { email: user.email, password: PASSWORD }, headers: { origin: DASHBOARD } });
    expect(login.headers.get("access-control-allow-origin")).toBeNull();
    expect(login.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
  });
});
