import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eventRow } from "@pixel/test/support/event-row";
import worker, { type FlusherEnv } from "./index";

const flusherEnv = env as unknown as FlusherEnv;
const WEBHOOK = "https://hooks.example/services/T000/B000/secret-token";
const logLines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

const get = (path: string, target: FlusherEnv = flusherEnv, headers: Record<string, string> = {}) =>
  worker.fetch(new Request(`https://flusher.internal${path}`, { headers }) as never, target, createExecutionContext());

async function deliver(bodies: unknown[], queue: string, target: FlusherEnv = flusherEnv) {
  const batch = createMessageBatch<unknown>(queue, bodies.map((body, i) => ({ id: `op-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts: 1, body })));
  await worker.queue(batch as MessageBatch<unknown>, target);
  return getQueueResult(batch, createExecutionContext());
}

async function runCron(target: FlusherEnv) {
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "15 * * * *" }), target);
}

afterEach(() => vi.restoreAllMocks());

describe("flusher health", () => {
  it("answers 200 when ClickHouse and the dead-letter bucket answer, with a request id", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await get("/health", flusherEnv, { "x-request-id": "probe-1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("probe-1");
    expect(await response.json()).toEqual({ ok: true, checks: { clickhouse: "ok", dead_letters: "ok" } });
  });

  it("answers 503 naming ClickHouse when it is unreachable, without its URL or password", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const down = { ...flusherEnv, CLICKHOUSE_URL: "http://127.0.0.1:9", CLICKHOUSE_PASSWORD: "hunter2-secret" };
    const response = await get("/health", down);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { ok: boolean; checks: Record<string, string> };
    expect(body.ok).toBe(false);
    expect(body.checks.dead_letters).toBe("ok");
    expect(body.checks.clickhouse).toMatch(/^failed: .+/);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|:9\b|hunter2/);
  });

  it("names ClickHouse's error code when the server answers with an error", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const response = await get("/health", { ...flusherEnv, CLICKHOUSE_DATABASE: "no_such_database" });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { checks: Record<string, string> }).checks.clickhouse).toBe("failed: ClickHouse error 81 (UNKNOWN_DATABASE)");
  });
});

describe("flusher logs", () => {
  it("logs a failed insert at level error with ClickHouse's error code and name", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await deliver([eventRow({ site_id: `site_${crypto.randomUUID()}` })], "pixel-hits", { ...flusherEnv, CLICKHOUSE_DATABASE: "no_such_database" });
    expect(result.retryMessages).toHaveLength(1);
    const [line] = logLines(error);
    expect(line).toMatchObject({ level: "error", worker: "flusher", message: "storing failed; messages will be retried", count: 1, clickhouse_code: "81", clickhouse_type: "UNKNOWN_DATABASE" });
    expect(line!.requestId).toEqual(expect.any(String));
  });
});

describe("the dead-letter alert cron", () => {
  beforeEach(async () => {
    const kept = await flusherEnv.KEPT.list({ prefix: "dead/" });
    if (kept.objects.length) await flusherEnv.KEPT.delete(kept.objects.map((object) => object.key));
  });

  it("stays quiet while nothing waits for replay", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const fetch = vi.spyOn(globalThis, "fetch");
    await runCron({ ...flusherEnv, PIXEL_ALERT_WEBHOOK_URL: WEBHOOK });
    expect(error).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("logs an error with the count of dead letters not replayed, and posts it to the webhook", async () => {
    await deliver([eventRow(), eventRow(), eventRow()], "pixel-hits-dead");
    await deliver([eventRow()], "pixel-hits-dead");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const posted: { url: string; body: unknown }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      posted.push({ url: String(input instanceof Request ? input.url : input), body: JSON.parse(String(init?.body)) });
      return new Response("ok");
    });
    await runCron({ ...flusherEnv, PIXEL_ALERT_WEBHOOK_URL: WEBHOOK });
    expect(logLines(error)).toEqual([expect.objectContaining({ level: "error", worker: "flusher", message: "dead letters waiting for replay", dead_batches: 2, dead_messages: 4 })]);
    expect(posted).toEqual([{ url: WEBHOOK, body: expect.objectContaining({ source: "pixel-flusher", dead_batches: 2, dead_messages: 4, text: expect.stringContaining("4 dead-lettered hits") }) }]);
  });

  it("logs a failing webhook instead of throwing, and never logs its URL", async () => {
    await deliver([eventRow()], "pixel-hits-dead");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("nope", { status: 500 }));
    await expect(runCron({ ...flusherEnv, PIXEL_ALERT_WEBHOOK_URL: WEBHOOK })).resolves.toBeUndefined();
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Promise.reject(new TypeError(`fetch to ${WEBHOOK} failed`)));
    await runCron({ ...flusherEnv, PIXEL_ALERT_WEBHOOK_URL: WEBHOOK });
    const lines = logLines(error);
    expect(lines).toContainEqual(expect.objectContaining({ message: "alert webhook refused the alert", status: 500 }));
    expect(lines).toContainEqual(expect.objectContaining({ message: "alert webhook unreachable" }));
    expect(JSON.stringify(lines)).not.toContain("secret-token");
  });
});
