import { env } from "cloudflare:test";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEventBatches, type TruthSite } from "@pixel/dev/ground-truth/generate";
import { type TruthFilter, type TruthGoal, trueAnswer } from "@pixel/dev/ground-truth/truth";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { VISIT_DIMENSIONS } from "@pixel/lib/stats/vocabulary";
import { DIMENSION_SETS, EVENT_METRICS, VISIT_METRICS, VISIT_ONLY_METRICS } from "@pixel/dev/ground-truth/cases";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { isCombinable } from "./planner";
import { PAGES } from "@pixel/dev/ground-truth/generate";
import { truePropertyKeys, trueScrollBuckets } from "@pixel/dev/ground-truth/page-reports";
import { runPropertyKeys, runScrollDepth } from "./page-reports";
import { runCombined, runQuery } from "./run";

const truthEnv = env as unknown as { CLICKHOUSE_URL: string; TRUTH_CLICKHOUSE_DATABASE: string };
const client = adminClickHouse(truthEnv, truthEnv.TRUTH_CLICKHOUSE_DATABASE);
const run = crypto.randomUUID().slice(0, 8);
const sites: TruthSite[] = [
  { id: `truth_${run}_berlin`, domain: "berlin.example", timezone: "Europe/Berlin" },
  { id: `truth_${run}_la`, domain: "la.example", timezone: "America/Los_Angeles" },
  { id: `truth_${run}_kolkata`, domain: "kolkata.example", timezone: "Asia/Kolkata" },
];
const goals: TruthGoal[] = [
  { name: "Signup", kind: "event", value: "signup" },
  { name: "Visit pricing", kind: "page", value: "/pricing" },
  { name: "Docs", kind: "page", value: "/docs/*" },
  { name: "Purchase", kind: "event", value: "purchase", currency: "EUR" },
  // The same event as a revenue goal in another currency: each query counts the currency of the goals it names.
  { name: "Purchase in USD", kind: "event", value: "purchase", currency: "USD" },
];
const rows: EventRow[] = [];
const range: [string, string] = ["2026-06-02", "2026-06-04"];

/** With a top-level goal filter, conversion_rate needs no event:goal dimension (Plausible's conversion rate). */
const GOAL_FILTER_DIMENSION_SETS: [string[], string[]][] = [
  [[], ["visitors", "conversion_rate", "group_conversion_rate"]],
  [["visit:source"], ["visitors", "conversion_rate", "group_conversion_rate"]],
  [["visit:linked_source"], ["visitors", "conversion_rate", "group_conversion_rate"]], // conversions after an in-app visit
  [["time:day"], ["visitors", "conversion_rate", "group_conversion_rate"]],
  [["event:page"], ["visitors", "group_conversion_rate"]],
  [["event:props:plan"], ["visitors", "events", "conversion_rate"]], // the properties card under a goal filter
];
/** With a top-level page filter, scroll depth and time on page need no event:page dimension. */
const PAGE_FILTER_DIMENSION_SETS: [string[], string[]][] = [
  [[], ["visitors", "visits", "scroll_depth", "time_on_page", "bounce_rate"]],
  [["visit:source"], ["visitors", "scroll_depth", "time_on_page"]],
];
const topLevel = (filters: TruthFilter[], dimension: string) =>
  filters.some((filter) => filter[1] === dimension && typeof filter[0] === "string" && !["and", "or", "not"].includes(filter[0]));
const dimensionSets = (filters: TruthFilter[]) => [
  ...DIMENSION_SETS,
  ...(topLevel(filters, "event:goal") ? GOAL_FILTER_DIMENSION_SETS : []),
  ...(topLevel(filters, "event:page") ? PAGE_FILTER_DIMENSION_SETS : []),
];
const FILTER_SETS: TruthFilter[][] = [
  [],
  [["is", "event:page", ["/pricing"]]],
  [["contains_not", "event:page", ["DOCS"], { case_sensitive: false }]],
  [["matches", "event:page", ["^/blog/"]]],
  [["is", "event:page", ["/blog/o'brien"]]],
  [["is", "visit:source", ["www.google.com"]]],
  [["is_not", "visit:country", ["DE"]], ["is", "event:name", ["pageview"]]],
  [["is", "visit:country_name", ["Germany", "United States"]], ["contains", "visit:city_name", ["o"]]],
  [["or", [["is", "visit:device", ["mobile"]], ["matches_not", "visit:browser", ["^Chr"]]]]],
  [["is_not", "event:goal", ["Signup"]]],
  [["has_done", ["is", "event:name", ["signup"]]]],
  [["has_not_done", ["contains", "event:goal", ["doc"]]], ["is", "visit:channel", ["organic search"]]],
  [["is", "event:props:plan", ["pro"]]],
  [["is", "visit:visitor_type", ["returning"]]],
  [["contains", "event:page", ["Blog"]]],
  [["or", [["is", "event:page", ["/pricing"]], ["not", ["matches", "event:page", ["^/BLOG/"], { case_sensitive: false }]]]]],
  [["contains", "event:page", ["Blog"], { case_sensitive: false }], ["is", "visit:country", ["de"], { case_sensitive: false }]],
  [["matches_not", "visit:browser", ["^chr"], { case_sensitive: false }], ["is_not", "event:goal", ["signup"], { case_sensitive: false }]],
  // Goals and hostnames are filtered at the top level only, as in Plausible.
  [["is", "event:goal", ["Visit pricing", "Docs"]], ["is_not", "event:hostname", ["blog.berlin.example"]]],
  [["is", "visit:webview", ["Instagram"]]],
  [["is_not", "visit:webview", [""]]], // the dashboard's in-app browsers tab
  [["is", "event:goal", ["Signup"]], ["is_not", "visit:linked_source", [""]]], // browser visits linked to an in-app visit
];

beforeAll(async () => {
  const options = { seed: 42, sites, firstDay: "2026-06-01", days: 5, visitsPerSiteDay: 40, duplicateShare: 0.02 };
  for (const batch of generateEventBatches(options, 2_000)) {
    rows.push(...batch);
    await insertEvents(client, batch);
  }
  // Hits resent later, in batches of their own (tracker retries, queue redelivery): separate parts in both tables.
  const resent = rows.filter((_, i) => i % 37 === 0).map((row) => ({ ...row }));
  for (let i = 0; i < resent.length; i += 500) await insertEvents(client, resent.slice(i, i + 500));
  rows.push(...resent);
}, 60_000);

afterAll(() => client.close());

const byDimensions = (results: { dimensions: string[]; metrics: number[] }[]) =>
  [...results].sort((a, b) => JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)));

async function answer(site: TruthSite, metrics: string[], dimensions: string[], filters: TruthFilter[], sessionsTable: boolean, siteGoals = goals) {
  const input = v.parse(QueryBody, { site_id: site.id, metrics, date_range: range, dimensions, filters });
  const query = normalizeQuery(input, { timezone: site.timezone, createdAt: new Date("2026-01-01") });
  return (await runQuery(client, query, { timezone: site.timezone, goals: siteGoals, sessionsTable })).results;
}

describe("a site with event goals only: goals read by the events' names equal the ground truth", () => {
  const eventGoals = goals.filter((goal) => goal.kind === "event" && !goal.currency);
  const CASES: [string[], string[], TruthFilter[]][] = [
    [["event:goal"], ["visitors", "events", "conversion_rate"], []],
    [["visit:source"], ["visitors", "events"], [["is", "event:goal", ["Signup"]]]],
    [[], ["visitors", "events"], [["is_not", "event:goal", ["Signup"]]]],
    [["event:page"], ["visitors"], [["has_done", ["is", "event:goal", ["Signup"]]]]],
  ];
  it.each(sites.map((site) => [site.timezone, site] as const))("%s", async (_, site) => {
    for (const [dimensions, metrics, filters] of CASES) {
      const actual = await answer(site, metrics, dimensions, filters, true, eventGoals);
      const expected = trueAnswer(rows, site.id, site.timezone, eventGoals, { metrics, dimensions, filters, date_range: range });
      expect(expected.length, "a case the traffic answers").toBeGreaterThan(0);
      expect(byDimensions(actual), `${dimensions.join("+") || "totals"} ${JSON.stringify(filters)}`).toEqual(byDimensions(expected));
    }
  }, 60_000);
});

describe("revenue metrics equal the ground truth: exact sums in the goal's currency only", () => {
  const REVENUE_FILTERS: TruthFilter[][] = [
    [["is", "event:goal", ["Purchase"]]],
    [["is", "event:goal", ["Purchase"]], ["is", "visit:device", ["desktop"]]],
    [["is", "event:goal", ["Purchase in USD"]]],
    [["is", "event:goal", ["Purchase in USD"]], ["is", "visit:visitor_type", ["returning"]]],
  ];
  const REVENUE_DIMENSIONS = [[], ["visit:country"], ["visit:source"], ["event:page"], ["event:props:plan"], ["time:day"], ["event:goal"]];
  it.each(sites.map((site) => [site.timezone, site] as const))("%s", async (_, site) => {
    for (const filters of REVENUE_FILTERS) {
      for (const dimensions of REVENUE_DIMENSIONS) {
        const metrics = ["visitors", "total_revenue", "average_revenue"];
        const actual = await answer(site, metrics, dimensions, filters, false);
        const expected = trueAnswer(rows, site.id, site.timezone, goals, { metrics, dimensions, filters, date_range: range });
        expect(byDimensions(actual), `${dimensions.join("+") || "totals"} ${JSON.stringify(filters)}`).toEqual(byDimensions(expected));
      }
    }
    const [euros] = await answer(site, ["total_revenue"], [], REVENUE_FILTERS[0]!, false);
    const [dollars] = await answer(site, ["total_revenue"], [], REVENUE_FILTERS[2]!, false);
    expect(euros!.metrics[0]).toBeGreaterThan(0);
    expect(dollars!.metrics[0]).toBeGreaterThan(0);
    expect(dollars!.metrics[0]).not.toBe(euros!.metrics[0]);
    // Without a goal filter the site's revenue goals are in two currencies, which Pixel does not add up.
    await expect(answer(site, ["total_revenue"], [], [], false)).rejects.toThrow("counts one currency");
  }, 60_000);
});

describe("every metric for every dimension equals the ground truth", () => {
  it("generated traffic with visits across local midnight, bounces, goals and resent events", () => {
    const names = new Set(rows.map((row) => row.name));
    expect([...names].sort()).toEqual(["download", "engagement", "form_submit", "outbound", "pageview", "purchase", "signup"]);
    expect(new Set(rows.map((row) => row.revenue_currency))).toEqual(new Set(["", "EUR", "USD"]));
    expect(rows.length).toBeGreaterThan(new Set(rows.map((row) => row.event_id)).size);
    expect(rows.filter((row) => row.linked_source && row.name === "signup").length).toBeGreaterThan(0);
  });

  it("credits signups after an in-app visit to that visit's source (visit:linked_source)", async () => {
    const [site] = sites;
    const results = await answer(site!, ["visitors"], ["visit:linked_source"], [["is", "event:goal", ["Signup"]]], true);
    expect(results.find((row) => row.dimensions[0] === "l.instagram.com")?.metrics[0]).toBeGreaterThan(0);
  });

  // Every filter set on the first site; the other timezones with a few, to keep the suite under a minute.
  // Both storage paths: the sessions and pages tables where they apply, and query-time sessionization over events everywhere.
  const cases = ["sessions table", "events only"].flatMap((path) =>
    sites.flatMap((site, i) => (i === 0 ? FILTER_SETS : FILTER_SETS.slice(0, 3)).map((filters) => [path, site.timezone, JSON.stringify(filters), site, filters] as const)),
  );
  {
    it.each(cases)("%s: %s, filters %s", async (path, _, __, site, filters) => {
      for (const [dimensions, metrics] of dimensionSets(filters)) {
        const actual = await answer(site, metrics, dimensions, filters, path === "sessions table");
        const expected = trueAnswer(rows, site.id, site.timezone, goals, { metrics, dimensions, filters, date_range: range });
        expect(byDimensions(actual), `${dimensions.join("+") || "totals"}: ${metrics.join(",")}`).toEqual(byDimensions(expected));
      }
    }, 60_000);
  }
});

describe("the visit prefilters equal the ground truth in timezones behind and ahead of UTC", () => {
  // Filters on first-event attributes (negated, in or/not, beside entry/exit pages and event filters): the stored path
  // merges only visits with a row in range they select; a visit across the range's start or local midnight included.
  const PREFILTER_SETS: TruthFilter[][] = [
    [["is_not", "visit:source", ["Direct / None"]]],
    [["not", ["contains", "visit:country_name", ["GERM"], { case_sensitive: false }]]],
    [["or", [["is", "visit:entry_page", ["/pricing"]], ["is", "visit:device", ["mobile"]]]]],
    [["is_not", "visit:entry_page", ["/"]], ["is_not", "visit:browser", ["Chrome"]]],
    [["matches_not", "visit:referrer", ["google"]], ["contains_not", "event:page", ["blog"]]],
    [["is", "visit:exit_page", ["/pricing"]], ["contains_not", "visit:city", ["a"]]],
    [["has_not_done", ["is", "event:goal", ["Signup"]]], ["is_not", "visit:channel", ["direct"], { case_sensitive: false }]],
  ];
  const DIMENSIONS: [string[], string[]][] = [
    [[], VISIT_METRICS],
    [["visit:source"], VISIT_METRICS],
    [["visit:entry_page"], VISIT_ONLY_METRICS],
    [["time:day"], VISIT_METRICS],
    [["event:page"], EVENT_METRICS],
  ];
  // The sites whose days fall on whole UTC hours: the ones the sessions table answers for (Asia/Kolkata's never are).
  const cases = sites.slice(0, 2).flatMap((site) => PREFILTER_SETS.map((filters) => [site.timezone, JSON.stringify(filters), site, filters] as const));
  it.each(cases)("%s, filters %s", async (_, __, site, filters) => {
    for (const [dimensions, metrics] of DIMENSIONS) {
      const actual = await answer(site, metrics, dimensions, filters, true);
      const expected = trueAnswer(rows, site.id, site.timezone, goals, { metrics, dimensions, filters, date_range: range });
      expect(byDimensions(actual), `${dimensions.join("+") || "totals"}: ${metrics.join(",")}`).toEqual(byDimensions(expected));
    }
  }, 60_000);
});

describe("queries combined into one pass over the visits", () => {
  const combinable = (site: TruthSite, body: Record<string, unknown>) =>
    normalizeQuery(v.parse(QueryBody, { site_id: site.id, date_range: range, ...body }), { timezone: site.timezone, createdAt: new Date("2026-01-01") });
  const metrics = ["visitors", "visits", "pageviews", "events", "views_per_visit", "bounce_rate", "visit_duration"];
  const VISIT_FILTER_SETS: TruthFilter[][] = [
    [],
    [["is_not", "visit:country", ["DE"]]],
    [["or", [["is", "visit:device", ["mobile"]], ["matches_not", "visit:browser", ["^Chr"]]]]],
    // Event filters: the visits with a matching event, sessionized from the events at query time.
    [["is", "event:page", ["/pricing"]]],
    [["contains", "event:page", ["Blog"], { case_sensitive: false }], ["is", "visit:country", ["de"], { case_sensitive: false }]],
    [["has_done", ["is", "event:name", ["signup"]]]],
  ];

  it.each(sites.flatMap((site) => VISIT_FILTER_SETS.map((filters) => [site.timezone, JSON.stringify(filters), site, filters] as const)))(
    "%s, filters %s: each answer equals the query run alone, order and pages included",
    async (_, __, site, filters) => {
      const context = { timezone: site.timezone, goals };
      const queries = [
        // The top stats with the comparison on: with filters the current period shares the pass; the previous one runs on its own.
        combinable(site, { metrics, filters, include: { comparisons: { mode: "previous_period" } } }),
        ...VISIT_DIMENSIONS.map((dimension, i) =>
          combinable(site, {
            metrics: i % 2 ? ["visitors"] : ["bounce_rate", "visits", "visitors"],
            dimensions: [dimension],
            filters,
            order_by: i % 3 === 0 ? [[dimension, "desc"]] : undefined,
            pagination: { limit: 1 + (i % 4), offset: i % 3 },
          }),
        ),
      ];
      const stored = site.timezone !== "Asia/Kolkata";
      expect(queries.slice(1).every((query) => isCombinable(query, context))).toBe(stored);
      // Unfiltered totals read their visitors from the stored rows and run apart (planner.ts).
      expect(isCombinable(queries[0]!, context)).toBe(stored && filters.length > 0);
      if (!stored) return;
      const shared = filters.length > 0 ? queries : queries.slice(1);
      const together = await runCombined(client, shared, context);
      for (const [i, query] of shared.entries()) {
        expect(together[i], JSON.stringify(query.dimensions)).toEqual(await runQuery(client, query, context));
      }
    },
    60_000,
  );
});

describe("the property keys and scroll depth reports equal the ground truth", () => {
  const FILTERS = [
    { filters: [], visits: undefined },
    { filters: [["is", "visit:country", ["FR"]]], visits: (events: EventRow[]) => events[0]!.country === "FR" },
  ];
  const queryOf = (site: TruthSite, filters: TruthFilter[]) =>
    normalizeQuery(v.parse(QueryBody, { site_id: site.id, metrics: ["visitors"], date_range: range, filters }), { timezone: site.timezone, createdAt: new Date("2026-01-01") });

  it.each(sites.map((site) => [site.timezone, site] as const))("%s", async (_, site) => {
    const context = { timezone: site.timezone, goals };
    for (const { filters, visits } of FILTERS) {
      const query = queryOf(site, filters as TruthFilter[]);
      const keys = await runPropertyKeys(client, query, context);
      const byKey = new Map(keys.keys.map(({ key, visitors, events }) => [key, [visitors, events]]));
      expect(byKey, `keys ${JSON.stringify(filters)}`).toEqual(truePropertyKeys(rows, site.id, site.timezone, range, visits));
      for (const page of PAGES) {
        const answer = await runScrollDepth(client, page, query, context);
        const expected = trueScrollBuckets(rows, site.id, site.timezone, range, page, visits);
        expect(answer.buckets.map((bucket) => bucket.visits), `${page} ${JSON.stringify(filters)}`).toEqual(expected);
      }
    }
    const pricing = await runScrollDepth(client, "/pricing", queryOf(site, []), context);
    expect(pricing.buckets.filter((bucket) => bucket.visits > 0).length, "the generated scroll depths spread over the buckets").toBeGreaterThan(5);
  });

  it("counts the visits the page's scroll_depth metric averages: its average falls within the buckets' bounds", async () => {
    const site = sites[0]!;
    const average = normalizeQuery(
      v.parse(QueryBody, { site_id: site.id, metrics: ["scroll_depth", "visits"], date_range: range, filters: [["is", "event:page", ["/pricing"]]] }),
      { timezone: site.timezone, createdAt: new Date("2026-01-01") },
    );
    const [row] = (await runQuery(client, average, { timezone: site.timezone, goals })).results;
    const answer = await runScrollDepth(client, "/pricing", queryOf(site, []), { timezone: site.timezone, goals });
    const low = answer.buckets.reduce((sum, bucket) => sum + bucket.from * bucket.visits, 0) / answer.visits;
    const high = answer.buckets.reduce((sum, bucket) => sum + bucket.to * bucket.visits, 0) / answer.visits;
    expect(row!.metrics[0]).toBeGreaterThanOrEqual(low);
    expect(row!.metrics[0]).toBeLessThan(high);
  });
});
