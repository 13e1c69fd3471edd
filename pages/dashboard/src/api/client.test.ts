import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, errorHint, NETWORK_ERROR, setUnauthorizedHandler } from "./client";

function answer(status: number, body?: unknown, statusText = "") {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return vi.fn(async () => new Response(status === 204 ? null : text, { status, statusText }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(undefined);
});

describe("api client", () => {
  it("sends JSON with the session cookie and returns the body", async () => {
    const fetch = answer(200, { user: { id: "u1", email: "a@b.c", name: "A", role: "admin" } });
    vi.stubGlobal("fetch", fetch);
    await expect(api.login("a@b.c", "pw")).resolves.toMatchObject({ user: { id: "u1" } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/auth/login");
    expect(init).toMatchObject({ method: "POST", credentials: "include", body: '{"email":"a@b.c","password":"pw"}' });
    expect(init.headers).toMatchObject({ "content-type": "application/json" });
  });

  it("throws the API's error message with the status", async () => {
    vi.stubGlobal("fetch", answer(401, { error: "Wrong email or password" }));
    const error = await api.login("a@b.c", "nope").catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, message: "Wrong email or password" });
  });

  it("explains errors without a JSON body", async () => {
    vi.stubGlobal("fetch", answer(502, "<html>Bad gateway</html>", "Bad Gateway"));
    await expect(api.sites()).rejects.toMatchObject({ status: 502, message: "The API answered 502 Bad Gateway." });
  });

  it("refuses a successful answer that isn't JSON", async () => {
    vi.stubGlobal("fetch", answer(200, "<!doctype html>"));
    await expect(api.sites()).rejects.toMatchObject({ status: 200 });
  });

  it("turns network failures into status 0", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(api.me()).rejects.toMatchObject({ status: NETWORK_ERROR });
  });

  it("accepts 204 for logout", async () => {
    vi.stubGlobal("fetch", answer(204));
    await expect(api.logout()).resolves.toBeUndefined();
  });

  it("reports an ended session, but not for auth calls", async () => {
    const ended = vi.fn();
    setUnauthorizedHandler(ended);
    vi.stubGlobal("fetch", answer(401, { error: "Not signed in" }));
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(ended).not.toHaveBeenCalled();
    await expect(api.sites()).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledOnce();
  });

  it("hints at what to do", () => {
    expect(errorHint(new ApiError(0, "x"))).toMatch(/connection/);
    expect(errorHint(new ApiError(500, "x"))).toMatch(/retries/);
    expect(errorHint(new ApiError(404, "x"))).toMatch(/access/);
  });
});
