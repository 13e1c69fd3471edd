import { segmentFilter } from "@pixel/lib/segments";
import type { SimpleFilter } from "@pixel/pages/dashboard/src/api/types";
import { totalsQuery } from "@pixel/pages/dashboard/src/stats";
import { TOP_METRICS } from "@pixel/pages/dashboard/src/view";
import { apiAnswers } from "./ask";
import { RANGE, SITE, timedRow, withBigSite } from "./queries.bench";
import type { Benchmark } from "./report";

/** A saved segment of two filters on the generated traffic's top country and top referrer (rank 0 of each). */
const SEGMENT = { id: 1, filters: [["is", "visit:country", ["AA"]], ["is", "visit:source", ["ref0.example"]]] };

/**
 * The overview's top stats with a saved segment applied, as the dashboard asks for them (`["is", "segment", [id]]`),
 * on the queries benchmark's 30 days as background merges leave them. The segment's filters come from memory instead
 * of D1, so what is measured is the ClickHouse query the api compiles after expanding them.
 */
const segmentsBench: Benchmark = (progress) =>
  withBigSite("segments", progress, async (client) => {
    const ask = apiAnswers(client, { segments: new Map([[SEGMENT.id, SEGMENT.filters]]) });
    const filters = [segmentFilter(SEGMENT.id) as unknown as SimpleFilter];
    const totals = async () => {
      const answer = await ask(totalsQuery({ siteId: SITE.id, range: RANGE, filters }, TOP_METRICS));
      if (!(Number(answer.results[0]?.metrics[0]) > 0)) throw new Error("the segment selects no visitors");
      return answer;
    };
    const row = await timedRow("segments", "the overview's top stats with a saved segment (country and source), one site, 30 days", totals, progress);
    return [{ ...row, note: `${row.note}; the segment's two filters read from memory, not D1: the ClickHouse query the api compiles after expanding them` }];
  });

export default segmentsBench;
