import { afterEach, describe, expect, it, vi } from "vitest";
import { grantSite } from "@pixel/lib/d1/accounts";
import { apiEnv, call, db, newSite, signedInUser } from "@pixel/test/support/workers/api";

const logLines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

afterEach(() => vi.restoreAllMocks());

describe("GET /api/health", () => {
  it("answers 200 when D1 and ClickHouse answer", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, checks: { d1: "ok", clickhouse: "ok" } });
  });

  it("answers 503 naming ClickHouse when it is unreachable, without its URL", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const response = await call("/health", {}, { ...apiEnv, CLICKHOUSE_URL: "http://127.0.0.1:9" });
    expect(response.status).toBe(503);
    expect(response.json.ok).toBe(false);
    expect(response.json.checks.d1).toBe("ok");
    expect(response.json.checks.clickhouse).toMatch(/^failed: /);
    expect(JSON.stringify(response.json)).not.toContain("127.0.0.1");
  });

  it("answers 503 naming D1 when it fails", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const broken = { prepare: () => ({ first: () => Promise.reject(new Error("D1_ERROR: database unavailable")) }) };
    const response = await call("/health", {}, { ...apiEnv, DB: broken as never });
    expect(response.status).toBe(503);
    expect(response.json.checks).toEqual({ d1: "failed: D1_ERROR: database unavailable", clickhouse: "ok" });
  });
});

describe("api request logs", () => {
  it("writes an access line with the request id it echoes, and no query string or IP", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await call("/health?token=abc123", { headers: { "x-request-id": "dash-77", "cf-connecting-ip": "198.51.100.23" } });
    expect(response.headers.get("x-request-id")).toBe("dash-77");
    expect(logLines(log)).toEqual([
      { level: "info", message: "request", worker: "api", requestId: "dash-77", method: "GET", path: "/api/health", status: 200, duration_ms: expect.any(Number) },
    ]);
    expect(JSON.stringify(log.mock.calls)).not.toMatch(/abc123|198\.51\.100\.23/);
  });

  it("keeps a share link's token out of the logged path", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const token = `pxs_${"0f".repeat(32)}`;
    expect((await call(`/share/${token}`)).status).toBe(404);
    expect(logLines(log)).toContainEqual(expect.objectContaining({ path: "/api/share/<redacted>", status: 404 }));
    expect(JSON.stringify(log.mock.calls)).not.toContain(token);
  });

  it("logs a ClickHouse failure with its error code under the request id, and shows the caller only the usual message", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { user, cookie } = await signedInUser();
    const site = await newSite();
    await grantSite(db(), user.id, site.id, "viewer");
    const broken = { ...apiEnv, CLICKHOUSE_DATABASE: "no_such_database" };
    const response = await call("/v2/query", { cookie, body: { site_id: site.id, metrics: ["visitors"], date_range: "7d" } }, broken);
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ error: "the api failed to answer; try again, and check the api Worker's logs if it persists" });
    const requestId = response.headers.get("x-request-id");
    expect(logLines(error)).toContainEqual(
      expect.objectContaining({ level: "error", worker: "api", requestId, message: "request failed", clickhouse_code: "81", clickhouse_type: "UNKNOWN_DATABASE" }),
    );
  });
});
