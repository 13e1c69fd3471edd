import { describe, expect, it, vi } from "vitest";
import { MAX_BATCH } from "@pixel/lib/stats/limits";
import { createBatchedQuery, type QueryTransport } from "./batch";
import type { Query, QueryResponse } from "./types";

const query = (site_id: string): Query => ({ site_id, metrics: ["visitors"], date_range: "7d" });
const answer = (n: number) => ({ results: [{ dimensions: [], metrics: [n] }], meta: {}, query: {} }) as unknown as QueryResponse;

function transport(lines: unknown[]) {
  const failure = (status: number, message: string) => Object.assign(new Error(message), { status });
  return {
    one: vi.fn(async () => answer(1)),
    many: vi.fn(async () => new Response(lines.map((line) => `${JSON.stringify(line)}\n`).join(""))),
    failure,
  } satisfies QueryTransport;
}

describe("batched stats queries", () => {
  it("sends queries asked for together as one batch and settles each from its line, in any order", async () => {
    const api = transport([{ index: 1, answer: answer(20) }, { index: 2, status: 404, error: "no site c" }, { index: 0, answer: answer(10) }]);
    const ask = createBatchedQuery(api);
    const [a, b, c] = await Promise.allSettled([ask(query("a")), ask(query("b")), ask(query("c"))]);
    expect(api.many).toHaveBeenCalledExactlyOnceWith([query("a"), query("b"), query("c")]);
    expect(api.one).not.toHaveBeenCalled();
    expect(a).toEqual({ status: "fulfilled", value: answer(10) });
    expect(b).toEqual({ status: "fulfilled", value: answer(20) });
    expect(c).toMatchObject({ status: "rejected", reason: { status: 404, message: "no site c" } });
  });

  it(`splits what is asked together into batches the api takes: at most ${MAX_BATCH} queries each`, async () => {
    const lines = (queries: Query[]) => queries.map((_, index) => `${JSON.stringify({ index, answer: answer(index) })}\n`).join("");
    const api = { ...transport([]), many: vi.fn(async (queries: Query[]) => new Response(lines(queries))) };
    const ask = createBatchedQuery(api);
    const asked = Array.from({ length: MAX_BATCH * 2 + 1 }, (_, i) => ask(query(`s${i}`)));
    const answers = await Promise.all(asked);
    expect(api.many.mock.calls.map(([queries]) => queries.length)).toEqual([MAX_BATCH, MAX_BATCH]);
    expect(api.one).toHaveBeenCalledExactlyOnceWith(query(`s${MAX_BATCH * 2}`), undefined);
    expect(answers[MAX_BATCH + 3]).toEqual(answer(3));
  });

  it("sends a query asked for alone as itself", async () => {
    const api = transport([]);
    await expect(createBatchedQuery(api)(query("a"))).resolves.toEqual(answer(1));
    expect(api.one).toHaveBeenCalledExactlyOnceWith(query("a"), undefined);
    expect(api.many).not.toHaveBeenCalled();
  });

  it("leaves out a query aborted before the batch goes, and rejects it", async () => {
    const api = transport([{ index: 0, answer: answer(10) }, { index: 1, answer: answer(30) }]);
    const ask = createBatchedQuery(api);
    const aborted = new AbortController();
    const asked = [ask(query("a")), ask(query("b"), aborted.signal), ask(query("c"))];
    aborted.abort();
    const [a, b, c] = await Promise.allSettled(asked);
    expect(api.many).toHaveBeenCalledExactlyOnceWith([query("a"), query("c")]);
    expect(b?.status).toBe("rejected");
    expect([a, c]).toEqual([{ status: "fulfilled", value: answer(10) }, { status: "fulfilled", value: answer(30) }]);
  });

  it("rejects the queries an answer that ends early leaves without a line", async () => {
    const ask = createBatchedQuery(transport([{ index: 0, answer: answer(10) }]));
    const [a, b] = await Promise.allSettled([ask(query("a")), ask(query("b"))]);
    expect(a.status).toBe("fulfilled");
    expect(b).toMatchObject({ status: "rejected", reason: { message: expect.stringContaining("ended before") } });
  });
});
