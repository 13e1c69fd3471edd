import * as v from "valibot";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { runPropertyKeys, runScrollDepth } from "@pixel/workers/api/src/stats/page-reports";
import { runQuery } from "@pixel/workers/api/src/stats/run";
import { CARDS, cardQueryLimit } from "@pixel/pages/dashboard/src/breakdowns";
import { breakdownQuery } from "@pixel/pages/dashboard/src/stats";
import { apiAnswers } from "./ask";
import { RANGE, SITE, timedRow, withBigSite } from "./queries.bench";
import type { Benchmark, BenchRow } from "./report";

/** The generated traffic's most visited path (dev/bench/traffic.ts: /<section>/<rank>, rank 0 in the first section). */
const PAGE = "/blog/0";

/**
 * The properties card (its keys and a key's values) and a page's scroll depth distribution, on the queries
 * benchmark's 30 days as background merges leave them. Every generated pageview carries an `author` (Zipf over 500)
 * and `signed_in`. Then the Goals card's outbound links, file downloads and 404 pages tabs, as the dashboard asks for
 * them, on the generated custom events (dev/bench/traffic.ts, CUSTOM_EVENTS).
 */
const pageReportsBench: Benchmark = (progress) =>
  withBigSite("page-reports", progress, async (client) => {
    const context = { timezone: SITE.timezone, goals: [] };
    const query = (body: object) =>
      normalizeQuery(v.parse(QueryBody, { site_id: SITE.id, metrics: ["visitors"], date_range: RANGE, ...body }), { timezone: SITE.timezone, createdAt: new Date("2026-01-01") });
    const scope = query({});
    const values = query({ metrics: ["visitors", "events", "percentage"], dimensions: ["event:props:author"], pagination: { limit: 9 } });
    const reports: [string, () => Promise<unknown>][] = [
      ["property keys (the properties card's picker)", () => runPropertyKeys(client, scope, context)],
      ["a property's values with visitors, events and share (the properties card)", () => runQuery(client, values, context)],
      [`scroll depth distribution of ${PAGE}`, () => runScrollDepth(client, PAGE, scope, context)],
      ...eventTabs(client),
    ];
    const rows: BenchRow[] = [];
    for (const [label, report] of reports) rows.push(await timedRow("reports", `${label}, one site, 30 days`, report, progress));
    return rows;
  });

export default pageReportsBench;

/** The Goals card's tabs of the tracker's own custom events, each one query as the card asks for it. */
function eventTabs(client: Parameters<typeof apiAnswers>[0]): [string, () => Promise<unknown>][] {
  const ask = apiAnswers(client);
  const scope = { siteId: SITE.id, range: RANGE, filters: [] };
  return CARDS.find((card) => card.id === "goals")!
    .tabs.filter((tab) => ["outbound", "downloads", "not_found"].includes(tab.id))
    .map((tab) => {
      const query = breakdownQuery(scope, tab, { metrics: tab.metrics, limit: cardQueryLimit(tab) });
      const card = async () => {
        const answer = await ask(query);
        if (answer.results.length < cardQueryLimit(tab)) throw new Error(`the ${tab.label} tab found ${answer.results.length} rows: the traffic lacks its events`);
        return answer;
      };
      return [`the Goals card's ${tab.label} tab`, card];
    });
}
