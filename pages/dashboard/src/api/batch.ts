import { MAX_BATCH } from "@pixel/lib/stats/limits";
import type { Query, QueryResponse } from "./types";

/** How batches reach the API: one query alone, several as NDJSON lines; `failure` makes an error line an error. */
export interface QueryTransport {
  one(query: Query, signal?: AbortSignal): Promise<QueryResponse>;
  many(queries: Query[]): Promise<Response>;
  failure(status: number, message: string): Error;
}

interface Asked {
  query: Query;
  signal?: AbortSignal;
  resolve: (response: QueryResponse) => void;
  reject: (reason: unknown) => void;
}

type Line = { index: number; answer: QueryResponse } | { index: number; status: number; error: string };

/**
 * Stats queries, batched: those asked for in the same moment (the overview's totals, chart and cards) go to the
 * API as one request (of at most MAX_BATCH queries, more go as several), which answers each as soon as it is ready
 * and runs together what can share one pass.
 */
export function createBatchedQuery(transport: QueryTransport): (query: Query, signal?: AbortSignal) => Promise<QueryResponse> {
  let asked: Asked[] = [];
  const flush = () => {
    const waiting = asked.filter((entry) => !entry.signal?.aborted);
    asked = [];
    for (let start = 0; start < waiting.length; start += MAX_BATCH) {
      const batch = waiting.slice(start, start + MAX_BATCH);
      const [only] = batch;
      if (batch.length > 1) void answerAll(transport, batch);
      else if (only) transport.one(only.query, only.signal).then(only.resolve, only.reject);
    }
  };
  return (query, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      asked.push({ query, signal, resolve, reject });
      // At the end of the task that asked: the overview asks everything in one render, and a timer waited behind
      // the page's first layout (the batch left 60-90 ms later on the 10M-event overview).
      if (asked.length === 1) queueMicrotask(flush);
    });
}

async function answerAll(transport: QueryTransport, batch: Asked[]): Promise<void> {
  const answered = new Set<number>();
  try {
    const response = await transport.many(batch.map((entry) => entry.query));
    for await (const line of linesOf(response)) {
      const entry = batch[line.index];
      if (!entry || answered.has(line.index)) continue;
      answered.add(line.index);
      if ("answer" in line) entry.resolve(line.answer);
      else entry.reject(transport.failure(line.status, line.error));
    }
    if (answered.size < batch.length) throw transport.failure(response.status, "The API's answer ended before every query was answered.");
  } catch (error) {
    batch.forEach((entry, index) => answered.has(index) || entry.reject(error));
  }
}

async function* linesOf(response: Response): AsyncGenerator<Line> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    rest += value ?? "";
    const lines = rest.split("\n");
    rest = done ? "" : lines.pop()!;
    for (const line of lines) if (line.trim()) yield JSON.parse(line) as Line;
    if (done) return;
  }
}
