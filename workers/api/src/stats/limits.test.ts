import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH, MAX_FILTER_DEPTH, MAX_FILTERS, MAX_RANGE_DAYS, MAX_TIME_LABELS } from "@pixel/lib/stats/limits";
import { grantSite } from "@pixel/lib/d1/accounts";
import { accessWorld, call, db, newSite, signedInUser } from "@pixel/test/support/workers/api";

let siteId = "";
let cookie = "";
beforeAll(async () => {
  const site = await newSite();
  const viewer = await signedInUser();
  await grantSite(db(), viewer.user.id, site.id, "viewer");
  siteId = site.id;
  cookie = viewer.cookie;
});

const query = (extra: Record<string, unknown>, as: Record<string, string> = {}) =>
  call("/v2/query", { cookie, headers: as, body: { site_id: siteId, metrics: ["visitors"], date_range: ["2026-01-01", "2026-01-01"], ...extra } });

/** `days` whole days ending on 2026-06-30. */
const lastDays = (days: number) => [new Date(Date.UTC(2026, 5, 30) - (days - 1) * 86_400_000).toISOString().slice(0, 10), "2026-06-30"];

describe("the longest range per time grain", () => {
  it.each([
    ["time:minute", 3, "time:minute covers at most 2 days; ask for time:hour or a shorter range"],
    ["time:hour", 93, "time:hour covers at most 92 days; ask for time:day or a shorter range"],
    ["time:day", 3661, "time:day covers at most 3660 days (about 10 years); ask for time:week or a shorter range"],
    ["time:week", 3661, "time:week covers at most 3660 days (about 10 years); ask for time:month or a shorter range"],
    ["time:month", 36601, "time:month covers at most 36600 days (about 100 years); ask for a shorter range"],
    ["time", 36601, "time:month covers at most 36600 days (about 100 years); ask for a shorter range"],
  ])("refuses %s over %i days with a 400 naming the limit", async (dimension, days, error) => {
    const refused = await query({ dimensions: [dimension], date_range: lastDays(days) });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: `date_range: ${error}` });
  });

  it("refuses minutes over years in a date-time range and in a comparison period", async () => {
    expect((await query({ dimensions: ["time:minute"], date_range: ["2020-01-01T00:00", "2026-01-01T00:00"] })).json.error).toMatch(/^date_range: time:minute covers at most 2 days/);
    const compared = await query({
      dimensions: ["time:minute"],
      include: { comparisons: { mode: "custom", date_range: ["2020-01-01", "2026-01-01"] } },
    });
    expect(compared.status).toBe(400);
    expect(compared.json.error).toMatch(/^include\.comparisons\.date_range: time:minute covers at most 2 days/);
  });

  it.each(Object.entries(MAX_RANGE_DAYS))(`answers time:%s over its longest range with at most ${MAX_TIME_LABELS} time_labels`, async (grain, days) => {
    const answered = await query({ dimensions: [`time:${grain}`], date_range: lastDays(days), include: { time_labels: true } });
    expect(answered.status).toBe(200);
    expect(answered.json.meta.time_labels.length).toBeGreaterThan(0);
    expect(answered.json.meta.time_labels.length).toBeLessThanOrEqual(MAX_TIME_LABELS);
  });
});

const simple = ["is", "event:page", ["/"]];
const nested = (depth: number): unknown => (depth === 1 ? simple : ["not", nested(depth - 1)]);

describe("filters", () => {
  it(`nest at most ${MAX_FILTER_DEPTH} deep`, async () => {
    expect((await query({ filters: [nested(MAX_FILTER_DEPTH)] })).status).toBe(200);
    const refused = await query({ filters: [nested(MAX_FILTER_DEPTH + 1)] });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: `filters[0][1][1][1][1][1]: filters nest at most ${MAX_FILTER_DEPTH} deep` });
  });

  it("refuses a deeply nested filter without recursing through it", async () => {
    const refused = await query({ filters: [nested(5_000)] });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toContain(`nest at most ${MAX_FILTER_DEPTH} deep`);
  });

  it(`count at most ${MAX_FILTERS} in all, inside and/or too`, async () => {
    const group = (count: number) => ["or", Array.from({ length: count }, (_, i) => ["is", "event:page", [`/p${i}`]])];
    expect((await query({ filters: [group(20), group(20), group(10)] })).status).toBe(200);
    const refused = await query({ filters: [group(20), group(20), group(11)] });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: `filters[2][1][10]: a query takes at most ${MAX_FILTERS} filters, counting those inside and/or/not/has_done` });
  });
});

describe("batches", () => {
  it(`take at most ${MAX_BATCH} queries, and answer a query past a limit with its own error line`, async () => {
    const one = { site_id: siteId, metrics: ["visitors"], date_range: ["2026-01-01", "2026-01-01"] };
    const tooMany = await call("/v2/queries", { cookie, body: { queries: Array.from({ length: MAX_BATCH + 1 }, () => one) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toContain(`at most ${MAX_BATCH} queries`);
    const batch = await call("/v2/queries", { cookie, body: { queries: [one, { ...one, dimensions: ["time:minute"], date_range: lastDays(30) }] } });
    const lines = batch.text.trim().split("\n").map((line) => JSON.parse(line)).sort((a, b) => a.index - b.index);
    expect(lines[0]).toHaveProperty("answer");
    expect(lines[1]).toEqual({ index: 1, status: 400, error: "queries[1].date_range: time:minute covers at most 2 days; ask for time:hour or a shorter range" });
  });
});

describe("share links and widgets", () => {
  it("meet the same limits", async () => {
    const { a, siteAdmin } = await accessWorld();
    const token = (await call(`/sites/${a.id}/share`, { cookie: siteAdmin.cookie, method: "POST" })).json.token;
    const shared = await call("/v2/query", {
      headers: { authorization: `Bearer ${token}` },
      body: { site_id: a.id, metrics: ["visitors"], dimensions: ["time:minute"], date_range: "30d" },
    });
    expect(shared.status).toBe(400);
    expect(shared.json.error).toContain("time:minute covers at most 2 days");
    const report = (await call(`/sites/${a.id}/reports`, { cookie: siteAdmin.cookie, body: { name: "Minutes", dateRange: "30d" } })).json.report;
    const widget = await call(`/sites/${a.id}/reports/${report.id}/widgets`, {
      cookie: siteAdmin.cookie,
      body: { title: "Per minute", kind: "line", width: 3, query: { metrics: ["visitors"], dimensions: ["time:minute"] } },
    });
    expect(widget.status).toBe(400);
    expect(widget.json.error).toContain("time:minute covers at most 2 days");
  });
});
