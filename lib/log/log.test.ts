import { afterEach, describe, expect, it, vi } from "vitest";
import { loggablePath, withRequestLog } from "./http";
import { createLogger, errorFields, requestIdFrom } from "./log";

afterEach(() => vi.restoreAllMocks());

const lines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

describe("the JSON logger", () => {
  it("writes one JSON line per event with level, message, worker and request id; fields cannot overwrite them", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = createLogger("api", "req-1");
    log.info("hello", { count: 3, level: "debug" });
    log.error("boom", errorFields(Object.assign(new Error("Database x does not exist"), { code: "81", type: "UNKNOWN_DATABASE" })));
    expect(lines(info)).toEqual([{ level: "info", message: "hello", worker: "api", requestId: "req-1", count: 3 }]);
    expect(lines(error)).toEqual([
      { level: "error", message: "boom", worker: "api", requestId: "req-1", error: "Database x does not exist", clickhouse_code: "81", clickhouse_type: "UNKNOWN_DATABASE" },
    ]);
  });

  it("takes the request id from cf-ray, then x-request-id, and makes one up for a missing or odd value", () => {
    expect(requestIdFrom(new Headers({ "cf-ray": "8f1a2b3c4d5e6f70-FRA", "x-request-id": "mine" }))).toBe("8f1a2b3c4d5e6f70-FRA");
    expect(requestIdFrom(new Headers({ "x-request-id": "trace-42" }))).toBe("trace-42");
    expect(requestIdFrom(new Headers({ "x-request-id": "<script>" }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(new Headers())).not.toBe(requestIdFrom(new Headers()));
  });

  it("does not mistake a network error's code for a ClickHouse one", () => {
    expect(errorFields(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toEqual({ error: "refused" });
  });
});

describe("withRequestLog", () => {
  it("echoes the request id and logs method, path, status and duration, without the query string", async () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    const handler = withRequestLog("collector", async () => new Response("hi", { status: 201 }));
    const response = await handler(new Request("https://x.example/telemetry/e?email=joe@mail.example", { headers: { "x-request-id": "abc" } }), {});
    expect(response.headers.get("x-request-id")).toBe("abc");
    expect(await response.text()).toBe("hi");
    const [line] = lines(info);
    expect(line).toMatchObject({ level: "info", message: "request", worker: "collector", requestId: "abc", method: "GET", path: "/telemetry/e", status: 201 });
    expect(line!.duration_ms).toEqual(expect.any(Number));
    expect(JSON.stringify(line)).not.toContain("email");
  });

  it("echoes the request id on a response whose headers are immutable, such as a redirect", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await withRequestLog("api", () => Response.redirect("https://x.example/elsewhere", 302))(new Request("https://x.example/a", { headers: { "x-request-id": "r1" } }), {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://x.example/elsewhere");
    expect(response.headers.get("x-request-id")).toBe("r1");
  });

  it("writes no access line for the answers the Worker calls unlogged, which keep their request id", async () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    const handler = withRequestLog("collector", async (request) => new Response(null, { status: request.method === "POST" ? 204 : 404 }), (request, status) => request.method === "POST" && status === 204);
    const quiet = await handler(new Request("https://x.example/e", { method: "POST", headers: { "x-request-id": "q1" } }), {});
    expect(quiet.headers.get("x-request-id")).toBe("q1");
    await handler(new Request("https://x.example/e", { headers: { "x-request-id": "q2" } }), {});
    expect(lines(info)).toMatchObject([{ message: "request", requestId: "q2", status: 404 }]);
  });

  it("keeps share-link tokens and emails out of the logged path", () => {
    expect(loggablePath(`https://x.example/api/share/pxs_${"ab".repeat(32)}?x=1`)).toBe("/api/share/<redacted>");
    expect(loggablePath("https://x.example/api/users/joe%40mail.example/sites")).toBe("/api/users/<redacted>/sites");
    expect(loggablePath("https://x.example/api/sites/6kz35h2wofmm7x5t")).toBe("/api/sites/6kz35h2wofmm7x5t");
  });

  it("answers 500 with the request id when the handler throws, and logs the error", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const response = await withRequestLog("api", () => Promise.reject(new Error("kaput")))(new Request("https://x.example/api/x"), {});
    expect(response.status).toBe(500);
    expect(lines(error)[0]).toMatchObject({ level: "error", error: "kaput", requestId: response.headers.get("x-request-id") });
  });
});
