import { Hono } from "hono";
import type { FlusherEnv } from "./env";
import { flusherHealth } from "./health";
import { listKept, replayDeadLetters } from "./kept";
import { healthResponse } from "@pixel/lib/health/health";
import { logFor } from "@pixel/lib/log/http";
import { errorFields } from "@pixel/lib/log/log";

type Admin = Hono<{ Bindings: FlusherEnv }>;

/** Operator routes on the flusher: see what was set aside, and put dead letters back on the queue. */
export function createAdmin(): Admin {
  const app: Admin = new Hono<{ Bindings: FlusherEnv }>();
  app.get("/health", async (c) => healthResponse(await flusherHealth(c.env)));
  app.use("/admin/*", async (c, next) => {
    const token = c.env.PIXEL_ADMIN_TOKEN ?? "";
    if (token.length < 16) return c.json({ error: "admin routes are off: set the secret PIXEL_ADMIN_TOKEN (16+ characters)" }, 503);
    const given = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
    if (!(await sameSecret(given, token))) return c.json({ error: "missing or wrong bearer token" }, 401);
    await next();
  });
  app.get("/admin/dead-letters", async (c) =>
    c.json({ dead: await listKept(c.env.KEPT, "dead"), invalid: await listKept(c.env.KEPT, "invalid") }),
  );
  app.post("/admin/dead-letters/replay", async (c) => c.json(await replayDeadLetters(c.env.KEPT, c.env.HITS)));
  app.notFound((c) => c.json({ error: `no such route: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    logFor(c.req.raw, "flusher").error("request failed", errorFields(error));
    return c.json({ error: "the flusher could not do this now; try again" }, 503);
  });
  return app;
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = (value: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}
