import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import { goals, type Site, type User } from "@pixel/lib/d1/schema";
import { eventRow } from "@pixel/test/support/event-row";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import type { ApiContext, ApiEnv } from "../env";
import { statsRoutes } from "./routes";

const apiEnv = env as unknown as ApiEnv;
const app = new Hono<ApiContext>();
const unique = crypto.randomUUID().slice(0, 8);
let site: Site;

beforeAll(async () => {
  const db = drizzle(apiEnv.DB);
  const admin = { id: `revenue_${unique}`, email: `revenue-${unique}@pixel.test`, role: "admin" } as User;
  app.use(async (c, next) => {
    c.set("user", admin);
    c.set("caller", { kind: "user", user: admin });
    await next();
  });
  app.route("/", statsRoutes);
  site = await createSite(db, { domain: `revenue-${unique}.example`, timezone: "UTC" });
  await db.insert(goals).values([
    { id: `g1_${unique}`, siteId: site.id, kind: "event", eventName: "purchase", displayName: "Purchase", currency: "EUR" },
    { id: `g2_${unique}`, siteId: site.id, kind: "event", eventName: "order", displayName: "Order", currency: "USD" },
    { id: `g3_${unique}`, siteId: site.id, kind: "event", eventName: "signup", displayName: "Signup" },
  ]);
  const at = Date.parse("2026-11-20T10:00:00Z");
  const sale = (visitor: string, name: string, revenue_amount: string, revenue_currency: string) =>
    eventRow({ site_id: site.id, visitor_id: visitor, session_id: visitor, name, timestamp: at, revenue_amount, revenue_currency });
  await insertEvents(adminClickHouse(apiEnv), [
    sale("1", "purchase", "0.1", "EUR"),
    sale("2", "purchase", "0.2", "EUR"),
    // In another currency than its goal's: Pixel has no rates, so it is not counted.
    sale("4", "purchase", "500", "USD"),
    sale("5", "order", "12.5", "USD"),
    sale("6", "signup", "0", ""),
  ]);
});

type Answer = { results: { dimensions: string[]; metrics: unknown[]; comparison?: { metrics: unknown[]; change: unknown[] } }[]; meta: Record<string, unknown>; error: string };
const post = (path: string, body: unknown) =>
  app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, apiEnv);
const request = (body: Record<string, unknown>) => ({ site_id: site.id, date_range: ["2026-11-01", "2026-11-27"], ...body });

/** Pixel's own answer (`/queries`): revenue as plain numbers, its currency in meta. */
async function query(body: Record<string, unknown>) {
  const response = await post("/queries", { queries: [request(body)] });
  const line = JSON.parse((await response.text()).trim()) as { answer?: Answer; status?: number; error?: string };
  return { status: line.status ?? 200, json: (line.answer ?? { error: line.error?.replace(/^queries\[0\]\./, "") }) as Answer };
}

/** Plausible's endpoint (`/query`). */
async function plausibleQuery(body: Record<string, unknown>) {
  const response = await post("/query", request(body));
  return { status: response.status, json: (await response.json()) as Answer };
}

describe("total_revenue and average_revenue", () => {
  it("sum a revenue goal's conversions exactly, in the goal's currency only", async () => {
    const order = await query({ metrics: ["visitors", "total_revenue", "average_revenue"], filters: [["is", "event:goal", ["Order"]]] });
    expect(order.json.results[0]!.metrics).toEqual([1, 12.5, 12.5]);
    expect(order.json.meta.revenue_currency).toBe("USD");
    const cents = await query({ metrics: ["total_revenue"], filters: [["is", "event:goal", ["Purchase"]], ["is", "visit:browser", ["Chrome"]]], dimensions: ["event:goal"] });
    // Summed as Decimal: a Float sum of 0.1 and 0.2 is 0.30000000000000004. The USD purchase is left out.
    expect(cents.json.results).toEqual([{ dimensions: ["Purchase"], metrics: [0.3] }]);
    const average = await query({ metrics: ["visitors", "average_revenue"], filters: [["is", "event:goal", ["Purchase"]]] });
    expect(average.json.results[0]!.metrics).toEqual([3, 0.15]);
  });

  it("answer Plausible's {currency, value} on /api/v2/query, with comparisons too, and plain numbers on /queries", async () => {
    const body = {
      metrics: ["visitors", "total_revenue", "average_revenue"],
      filters: [["is", "event:goal", ["Purchase"]]],
      dimensions: ["event:goal"],
      include: { comparisons: { mode: "previous_period" } },
    };
    const plausible = await plausibleQuery(body);
    expect(plausible.status).toBe(200);
    const [row] = plausible.json.results;
    expect(row!.metrics).toEqual([3, { currency: "EUR", value: 0.3 }, { currency: "EUR", value: 0.15 }]);
    expect(row!.comparison!.metrics).toEqual([0, { currency: "EUR", value: 0 }, { currency: "EUR", value: 0 }]);
    expect(row!.comparison!.change).toEqual([null, null, null]);
    expect(plausible.json.meta.revenue_currency).toBe("EUR");
    const pixel = await query(body);
    expect(pixel.json.results[0]!.metrics).toEqual([3, 0.3, 0.15]);
    // Without revenue metrics the two answers are the same.
    const visitors = { metrics: ["visitors"], filters: [["is", "event:goal", ["Purchase"]]] };
    expect((await plausibleQuery(visitors)).json.results).toEqual((await query(visitors)).json.results);
  });

  it("refuse a query whose goals have no currency or several, with a 400 that says so", async () => {
    const none = await query({ metrics: ["total_revenue"], filters: [["is", "event:goal", ["Signup"]]] });
    expect(none.status).toBe(400);
    expect(none.json.error).toBe("metrics: total_revenue needs a revenue goal (a goal with a currency) among the event:goal filter's goals");
    const mixed = await query({ metrics: ["average_revenue"] });
    expect(mixed.status).toBe(400);
    expect(mixed.json.error).toBe("metrics: average_revenue counts one currency; filter event:goal to revenue goals in one of EUR, USD");
  });
});
