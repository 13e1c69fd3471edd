import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { goals, type User } from "@pixel/lib/d1/schema";
import type { ApiContext, ApiEnv } from "../../env";
import { statsRoutes } from "../routes";
import { PLAUSIBLE_EXAMPLES, PLAUSIBLE_REFUSALS, PLAUSIBLE_SITE } from "./examples";

const apiEnv = env as unknown as ApiEnv;
const unique = crypto.randomUUID().slice(0, 8);
const viewer = { id: `examples_${unique}`, email: `examples-${unique}@pixel.test`, role: "admin" } as User;
const app = new Hono<ApiContext>()
  .use(async (c, next) => {
    c.set("user", viewer);
    c.set("caller", { kind: "user", user: viewer });
    await next();
  })
  .route("/", statsRoutes);

beforeAll(async () => {
  const db = drizzle(apiEnv.DB);
  const site = await createSite(db, { domain: PLAUSIBLE_SITE, timezone: "UTC" });
  // The goal the examples filter on.
  await db.insert(goals).values({ id: `signup_${unique}`, siteId: site.id, kind: "event", eventName: "Signup", displayName: "Signup" });
});

describe.each([
  ["Plausible's documented Stats API v2 example requests", PLAUSIBLE_EXAMPLES],
  ["queries Plausible refuses as invalid", PLAUSIBLE_REFUSALS],
])("%s", (_, examples) => {
  it.each(examples.map((example) => [example.name, example] as const))("%s", async (_, example) => {
    const response = await app.request("/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(example.body) }, apiEnv);
    const json = (await response.json()) as { error?: string; results?: unknown[]; meta?: Record<string, unknown> };
    expect({ status: response.status, error: json.error }).toMatchObject({ status: example.status });
    if (example.status === 200) {
      expect(json.results).toEqual(expect.any(Array));
      if ((example.body.include as { imports?: boolean } | undefined)?.imports) expect(json.meta?.imports_included).toBe(true);
    } else {
      expect(json.error).toContain(example.refusal);
    }
  });
});
