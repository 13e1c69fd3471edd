import { describe, expect, it } from "vitest";
import { bindingsBound, checkHealth, healthResponse, shortReason } from "./health";

describe("health checks", () => {
  it("is ok only when every check answers, and names the one that failed", async () => {
    const report = await checkHealth({ queue: bindingsBound([]), db: async () => Promise.reject(new Error("D1_ERROR: no such database")) });
    expect(report).toEqual({ ok: false, checks: { queue: "ok", db: "failed: D1_ERROR: no such database" } });
    expect(healthResponse(report).status).toBe(503);
    const healthy = await checkHealth({ queue: bindingsBound([]) });
    expect(healthResponse(healthy).status).toBe(200);
    expect((await checkHealth({ queue: bindingsBound(["HITS"]) })).checks.queue).toBe("failed: binding HITS is missing");
  });

  it("bounds a check that never answers by its timeout, and aborts it", async () => {
    let aborted = false;
    const hanging = (signal: AbortSignal) => new Promise(() => signal.addEventListener("abort", () => (aborted = true)));
    const report = await checkHealth({ clickhouse: hanging, fast: async () => 1 }, 50);
    expect(report.checks).toEqual({ clickhouse: "failed: no answer within 50 ms", fast: "ok" });
    expect(aborted).toBe(true);
  });

  it("gives ClickHouse errors by code and name, and scrubs URLs and addresses from other reasons", () => {
    const clickHouse = Object.assign(new Error("pixel_reader: Authentication failed: password is incorrect"), { code: "516", type: "AUTHENTICATION_FAILED" });
    expect(shortReason(clickHouse)).toBe("ClickHouse error 516 (AUTHENTICATION_FAILED)");
    const network = shortReason(new Error("fetch to https://user:secret@ch.example:8443/?database=pixel failed: connect 10.0.0.7:8443"));
    expect(network).toBe("fetch to <url> failed: connect <address>");
    expect(shortReason(new Error("x".repeat(500)))).toHaveLength(120);
  });
});
