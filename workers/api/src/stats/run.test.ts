import type { ClickHouseClient } from "@clickhouse/client-web";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { normalizeQuery, QueryBody } from "@pixel/lib/stats/query";
import { runCombined, runQuery } from "./run";

const SITE = { timezone: "UTC", createdAt: new Date("2026-01-01") };
const context = { timezone: "UTC", goals: [] };
const compared = (body: Record<string, unknown>) =>
  normalizeQuery(v.parse(QueryBody, { site_id: "s", date_range: ["2026-05-01", "2026-05-30"], include: { comparisons: { mode: "previous_period" } }, ...body }), SITE);

/**
 * A client whose stats SELECTs answer only once `expected` of them have been sent: a runner that waits for one before
 * sending the next never finishes. Lookups of daily rolls answer at once, with none.
 */
function answeringTogether(expected: number) {
  const sent: string[] = [];
  const lookups: string[] = [];
  let release = () => {};
  const together = new Promise<void>((resolve) => (release = resolve));
  const client = {
    query: async ({ query }: { query: string }) => {
      if (query.includes("FROM day_rolls")) {
        lookups.push(query);
        return { json: async () => [] };
      }
      sent.push(query);
      if (sent.length === expected) release();
      await together;
      return { json: async () => [] };
    },
  } as unknown as ClickHouseClient;
  return { client, sent, lookups };
}

const within = <T>(promise: Promise<T>) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the runner waited for one SELECT before sending the next")), 2000))]);

describe("the comparison period", () => {
  it("is asked for at the same time as the current period", async () => {
    const { client, sent, lookups } = answeringTogether(2);
    const answer = await within(runQuery(client, compared({ metrics: ["visitors"], dimensions: ["visit:country"] }), context));
    expect(sent).toHaveLength(2);
    // Each period first looks up its own range's daily rolls (none here).
    expect(lookups).toHaveLength(2);
    expect(answer.results).toEqual([]);
  });

  it("of each query answered from one shared pass is asked for beside that pass", async () => {
    const { client, sent } = answeringTogether(3);
    const queries = [compared({ metrics: ["visitors", "visits"], filters: [["is", "visit:country", ["DE"]]] }), compared({ metrics: ["visitors"], dimensions: ["visit:source"], filters: [["is", "visit:country", ["DE"]]] })];
    const answers = await within(runCombined(client, queries, context));
    expect(sent).toHaveLength(3);
    expect(answers.map((answer) => answer.query)).toEqual(queries);
  });
});
