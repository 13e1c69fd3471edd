import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import type { CollectorEnv } from "./env";
import worker from "./index";
import { saltStore } from "./salts";

const testEnv = env as unknown as CollectorEnv;
const recorder = { send: async () => {}, sendBatch: async () => {} };

async function get(path: string, target: CollectorEnv = { ...testEnv, HITS: recorder as never }, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://shop.example${path}`, { headers: { "cf-connecting-ip": "203.0.113.7", ...headers } }) as never, target, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const logLines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

afterEach(() => vi.restoreAllMocks());

describe("collector health", () => {
  it("answers 200 when the queue binding, D1 and the salts store all answer", async () => {
    const response = await get("/telemetry/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, checks: { queue: "ok", d1: "ok", salts: "ok" } });
  });

  it("answers 503 naming the queue when its binding is missing, and D1 when it fails", async () => {
    const broken = { prepare: () => ({ first: () => Promise.reject(new Error("D1_ERROR: database unavailable")) }) };
    const response = await get("/telemetry/health", { ...testEnv, HITS: undefined as never, DB: broken as never });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ok: false,
      checks: { queue: "failed: binding HITS is missing", d1: "failed: D1_ERROR: database unavailable", salts: "ok" },
    });
  });
  it("answers 503 naming a missing shard below a bound one, which would move visitors to other queues", async () => {
    const sharded = { ...testEnv, HITS: recorder, HITS_1: recorder, HITS_3: recorder } as unknown as CollectorEnv;
    const response = await get("/telemetry/health", sharded);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { queue: "failed: binding HITS_2 is missing" } });
    expect((await get("/telemetry/health", { ...sharded, HITS_2: recorder } as CollectorEnv)).status).toBe(200);
  });
});

describe("collector request logs", () => {
  beforeAll(async () => {
    await createSite(drizzle(testEnv.DB), { domain: "logs.example" });
  });

  it("writes one access line for a refused hit with the request id it echoes, and never the IP or the query string", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const url = encodeURIComponent("https://logs.example/p?email=joe@mail.example");
    const response = await get(`/telemetry/e.gif?n=pageview&u=${url}&bogus=1`, undefined, { "cf-ray": "8f00aa11bb22cc33-FRA", "user-agent": "Mozilla/5.0 Chrome/131.0" });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBe("8f00aa11bb22cc33-FRA");
    const access = logLines(log).filter((line) => line.message === "request");
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: "info", worker: "collector", requestId: "8f00aa11bb22cc33-FRA", method: "GET", path: "/telemetry/e.gif", status: 400 });
    expect(access[0]!.duration_ms).toEqual(expect.any(Number));
    const everything = JSON.stringify(log.mock.calls);
    expect(everything).not.toContain("203.0.113.7");
    expect(everything).not.toContain("email");
  });

  it("writes no access line for a taken hit, which still echoes its request id", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const url = encodeURIComponent("https://logs.example/p");
    const pixel = await get(`/telemetry/e.gif?n=pageview&u=${url}`, undefined, { "cf-ray": "8f00aa11bb22cc44-FRA", "user-agent": "Mozilla/5.0 Chrome/131.0" });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get("x-request-id")).toBe("8f00aa11bb22cc44-FRA");
    const ctx = createExecutionContext();
    const hit = JSON.stringify({ id: "logs_hit_0001", name: "pageview", url: "https://logs.example/q" });
    const post = await worker.fetch(new Request("https://shop.example/telemetry/e", { method: "POST", body: hit, headers: { "cf-connecting-ip": "203.0.113.7", "user-agent": "Mozilla/5.0 Chrome/131.0" } }) as never, { ...testEnv, HITS: recorder as never }, ctx);
    await waitOnExecutionContext(ctx);
    expect(post.status).toBe(204);
    expect(post.headers.get("x-request-id")).toEqual(expect.any(String));
    expect(logLines(log).filter((line) => line.message === "request")).toEqual([]);
    await get("/telemetry/health");
    expect(logLines(log).filter((line) => line.message === "request")).toMatchObject([{ path: "/telemetry/health", status: 200 }]);
  });

  it("gives a made-up request id to requests outside the base path too", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await get("/elsewhere");
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the salt housekeeping cron", () => {
  it("deletes a salt past 48 hours on a day without hits, keeping yesterday's and making today's", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const store = saltStore(testEnv.SALTS);
    await store.forDay(Date.parse("2026-02-01T09:00:00Z"));
    await store.forDay(Date.parse("2026-02-02T09:00:00Z"));
    const controller = createScheduledController({ scheduledTime: new Date("2026-02-03T00:05:00Z"), cron: "5 * * * *" });
    await worker.scheduled(controller, testEnv);
    const days = await store.days();
    expect(days).not.toContain("2026-02-01");
    expect(days).toEqual(expect.arrayContaining(["2026-02-02", "2026-02-03"]));
  });
});
