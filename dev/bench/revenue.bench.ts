import { CARDS, cardQueryLimit } from "@pixel/pages/dashboard/src/breakdowns";
import { breakdownQuery, readRows, REVENUE_COLUMNS, totalsQuery, withRevenueColumns } from "@pixel/pages/dashboard/src/stats";
import { apiAnswers } from "./ask";
import { RANGE, SITE, timedRow, withBigSite } from "./queries.bench";
import type { Benchmark, BenchRow } from "./report";

/** The big site's revenue goal: the generated purchases (dev/bench/traffic.ts), nine in ten of them in this currency. */
const PURCHASE = { name: "Purchase", kind: "event", value: "purchase", currency: "USD" } as const;

/**
 * A revenue goal's total_revenue and average_revenue on the queries benchmark's 30 days, as background merges leave
 * them: the Goals card with its revenue columns, as the dashboard loads it, and the two metrics as top stats.
 */
const revenueBench: Benchmark = (progress) =>
  withBigSite("revenue", progress, async (client) => {
    const ask = apiAnswers(client, { goals: [PURCHASE] });
    const scope = { siteId: SITE.id, range: RANGE, filters: [] };
    const goals = CARDS.find((card) => card.id === "goals")!.tabs[0]!;
    const goalsCard = async () => {
      const rows = readRows(await ask(breakdownQuery(scope, goals, { metrics: goals.metrics, limit: cardQueryLimit(goals) })));
      const card = await withRevenueColumns({ tab: goals, metrics: goals.metrics, rows }, scope, [{ displayName: PURCHASE.name, currency: PURCHASE.currency }], ask);
      if (!card.rows.some((row) => row.currency === PURCHASE.currency && row.metrics.at(-2)! > 0)) throw new Error("the Goals card shows no revenue: the traffic lacks purchases");
      return card;
    };
    const totals = async () => {
      const answer = await ask(totalsQuery({ ...scope, filters: [["is", "event:goal", [PURCHASE.name]]] }, REVENUE_COLUMNS));
      if (!(Number(answer.results[0]?.metrics[0]) > 0)) throw new Error("no revenue in the traffic: it lacks purchases");
      return answer;
    };
    const note = "a revenue goal in USD; ~2 % of visits buy, a tenth of them in EUR (left out: no exchange rates)";
    const rows: BenchRow[] = [];
    for (const [label, report] of [
      ["the Goals card with its revenue columns (total_revenue, average_revenue), as the dashboard loads it", goalsCard],
      ["total_revenue and average_revenue of a revenue goal, as top stats", totals],
    ] as const) {
      const row = await timedRow("revenue", `${label}, one site, 30 days`, report, progress);
      rows.push({ ...row, note: `${row.note}; ${note}` });
    }
    return rows;
  });

export default revenueBench;
