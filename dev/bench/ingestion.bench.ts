import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createClient } from "@clickhouse/client-web";
import { build } from "esbuild";
import { drizzle } from "drizzle-orm/d1";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { createSite } from "@pixel/lib/d1/accounts";
import { migrateClickHouse } from "@pixel/lib/clickhouse/node/migrate";
import { startClickHouseServer } from "../clickhouse-server/server";
import { applyD1Migrations } from "../stack/d1";
import { DEV_CF, WORKER_BUNDLE, workerOptionsFor } from "../stack/workers";
import { type Benchmark, type BenchRow, loadAverage } from "./report";

/**
 * Ingestion in workerd through Miniflare, driven over loopback by a bounded keep-alive load generator:
 * the collector against a forwarder that only queues the body, the collector's own CPU per hit, the
 * user-agent cache's effect, and the whole pipeline into a local ClickHouse.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SITE = "bench.example";
const CONNECTIONS = 16;
const RUN_MS = 3_000;
const ROUNDS = Number(process.env.PIXEL_BENCH_INGEST_ROUNDS ?? 5);
const PIPELINE_HITS = 5_000;
const CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Workers for the side-by-side runs; all queue into one sink whose consumer only acknowledges. */
const EMPTY = `export default { fetch() { return new Response(null, { status: 204 }); } };`;
const FORWARDER = `export default {
  async fetch(request, env) {
    const body = await request.text();
    try { await env.HITS.send(body); } catch { return new Response(null, { status: 503 }); }
    return new Response(null, { status: 204 });
  },
};`;
const SINK = `export default { queue(batch) { batch.ackAll(); } };`;

const direct = (name: string, script: string, extra: Partial<WorkerOptions> = {}): WorkerOptions =>
  ({
    name,
    modules: [{ type: "ESModule", path: `${ROOT}bench/${name}.mjs`, contents: script }],
    compatibilityDate: "2026-04-20",
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    ...extra,
  }) as WorkerOptions;

const realWorker = (name: "collector" | "flusher", bindings: Record<string, string>, extra: Partial<WorkerOptions> = {}, queueShards = 1) =>
  workerOptionsFor(name, bindings, extra, queueShards);

async function registerSite(mf: Miniflare): Promise<void> {
  const d1 = await mf.getD1Database("DB", "collector");
  await applyD1Migrations(d1, () => {});
  await createSite(drizzle(d1 as never), { domain: SITE });
}

/** CPU time (ms) of every workerd process this process started, from /proc. */
function workerdCpuMs(): number {
  const tick = 1000 / 100;
  let total = 0;
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (!stat.includes("(workerd)") || Number(fields[1]) !== process.pid) continue;
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

interface Load {
  ok: number;
  failed: number;
  perSecond: number;
  cpuMsPerRequest: number;
}

/** N keep-alive connections, each sending one request after another until the time is up. */
async function load(url: string, body: (i: number) => { payload: string; ua: string }, durationMs = RUN_MS, connections = CONNECTIONS): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  let ok = 0;
  let failed = 0;
  let sequence = 0;
  const post = () =>
    new Promise<void>((resolve) => {
      const { payload, ua } = body(sequence++);
      const request = http.request(
        target,
        { method: "POST", agent, headers: { "content-type": "text/plain", "user-agent": ua, "cf-connecting-ip": `198.51.100.${sequence % 250}` } },
        (response) => {
          response.resume();
          response.on("end", () => {
            if (response.statusCode && response.statusCode < 300) ok++;
            else failed++;
            resolve();
          });
        },
      );
      request.on("error", () => {
        failed++;
        resolve();
      });
      request.end(payload);
    });
  const cpuBefore = workerdCpuMs();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) await post();
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = workerdCpuMs() - cpuBefore;
  agent.destroy();
  return { ok, failed, perSecond: ok / seconds, cpuMsPerRequest: cpu / Math.max(ok + failed, 1) };
}

const hitBody = (i: number, ua = CHROME_UA) => ({
  payload: JSON.stringify({ id: `bench_${Date.now().toString(36)}_${i}`, name: "pageview", url: `https://${SITE}/p/${i % 40}?utm_source=news`, referrer: "https://www.google.com/" }),
  ua,
});

async function sideBySide(progress: (message: string) => void): Promise<BenchRow[]> {
  const persist = mkdtempSync(join(tmpdir(), "pixel-bench-"));
  const sinkQueue = { HITS: { queueName: "bench-sink" } };
  const collector = await realWorker("collector", {}, { queueProducers: sinkQueue, unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }] });
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    cf: DEV_CF,
    defaultPersistRoot: persist,
    log: new Log(LogLevel.ERROR),
    workers: [
      collector,
      direct("forwarder", FORWARDER, { queueProducers: sinkQueue }),
      direct("empty", EMPTY),
      direct("sink", SINK, { queueConsumers: { "bench-sink": { maxBatchSize: 100, maxBatchTimeout: 1 } } }),
    ],
  });
  try {
    await mf.ready;
    await registerSite(mf);
    const url = async (name: string, path = "/") => new URL(path, await mf.unsafeGetDirectURL(name)).href;
    const runs: [string, string, (i: number) => { payload: string; ua: string }][] = [
      ["empty", await url("empty"), (i) => hitBody(i)],
      ["forwarder", await url("forwarder"), (i) => hitBody(i)],
      ["collector", await url("collector", "/telemetry/e"), (i) => hitBody(i)],
      ["collector, every UA new", await url("collector", "/telemetry/e"), (i) => hitBody(i, CHROME_UA.replace("131.0.0.0", `131.0.${i}.0`))],
    ];
    await load(runs[2]![1], runs[2]![2], 1_000);
    // Rounds alternate the Workers, so a neighbour's load on the shared cores hits both sides of each ratio alike.
    const rounds: Record<string, Load>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const results: Record<string, Load> = {};
      for (const [name, target, body] of runs) {
        progress(`round ${round}/${ROUNDS}, ${name}: ${CONNECTIONS} connections for ${RUN_MS / 1000} s`);
        results[name] = await load(target, body);
        progress(`round ${round}/${ROUNDS}, ${name}: ${results[name]!.perSecond.toFixed(0)} req/s, ${results[name]!.cpuMsPerRequest.toFixed(3)} ms CPU/req, ${results[name]!.failed} failed`);
        await delay(3_000);
      }
      rounds.push(results);
    }
    return rowsFrom(rounds);
  } finally {
    await mf.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
}

/** Each Worker's median round, and each ratio's median over the rounds (both sides measured in the same round). */
function rowsFrom(rounds: Record<string, Load>[]): BenchRow[] {
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const typical = (name: string): Load => {
    const loads = rounds.map((round) => round[name]!);
    const sum = (pick: (load: Load) => number) => loads.reduce((total, load) => total + pick(load), 0);
    return { ok: sum((l) => l.ok), failed: sum((l) => l.failed), perSecond: middle(loads.map((l) => l.perSecond)), cpuMsPerRequest: middle(loads.map((l) => l.cpuMsPerRequest)) };
  };
  const [empty, forwarder, collector, fresh] = ["empty", "forwarder", "collector", "collector, every UA new"].map(typical) as [Load, Load, Load, Load];
  const perRound = (of: (round: Record<string, Load>) => number) => rounds.map(of);
  const ratios = perRound((round) => round.collector!.perSecond / round.forwarder!.perSecond);
  const cpuRatios = perRound((round) => round.forwarder!.cpuMsPerRequest / round.collector!.cpuMsPerRequest);
  const [ratio, cpuRatio] = [middle(ratios), middle(cpuRatios)];
  const own = middle(perRound((round) => round.collector!.cpuMsPerRequest - round.forwarder!.cpuMsPerRequest));
  const listed = (values: number[]) => `rounds: ${values.map((value) => `${value.toFixed(2)}×`).join(", ")}`;
  const failed = (load: Load) => (load.failed ? `${load.failed} failed sends` : "no failed sends");
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  return [
    { area: "ingestion", measure: "Worker returning 204 (workerd baseline)", value: `${empty.perSecond.toFixed(0)} req/s, ${ms(empty.cpuMsPerRequest)} CPU/req` },
    { area: "ingestion", measure: "forwarder (read body, one queue send)", value: `${forwarder.perSecond.toFixed(0)} req/s, ${ms(forwarder.cpuMsPerRequest)} CPU/req`, note: failed(forwarder) },
    { area: "ingestion", measure: "collector, 1 hit per request", value: `${collector.perSecond.toFixed(0)} req/s, ${ms(collector.cpuMsPerRequest)} CPU/req`, note: failed(collector) },
    { area: "ingestion", measure: "collector ÷ forwarder throughput (median round)", value: `${ratio.toFixed(2)}×`, target: "≥ 0.8×", met: ratio >= 0.8, note: listed(ratios) },
    {
      area: "ingestion",
      measure: "collector ÷ forwarder throughput when CPU-bound (forwarder CPU/req ÷ collector CPU/req, median round)",
      value: `${cpuRatio.toFixed(2)}×`,
      target: "≥ 0.8×",
      met: cpuRatio >= 0.8,
      note: `${listed(cpuRatios)}; CPU per request is steadier than req/s when other processes share the cores`,
    },
    {
      area: "ingestion",
      measure: "local queue send, CPU per hit (forwarder − baseline)",
      value: ms(forwarder.cpuMsPerRequest - empty.cpuMsPerRequest),
      note: "Miniflare's emulated queue; not production's cost",
    },
    {
      area: "ingestion",
      measure: "collector − forwarder, CPU per hit",
      value: ms(own),
      note: "the collector's logic, the rate limiter and a compact JSON row (~600 B) queued instead of the ~150 B body; the logic alone is measured above",
    },
    {
      area: "ingestion",
      measure: "UA cache: CPU per hit with every user agent new",
      value: `${ms(fresh.cpuMsPerRequest)} (+${ms(fresh.cpuMsPerRequest - collector.cpuMsPerRequest)} vs cached)`,
      note: `${fresh.perSecond.toFixed(0)} req/s; ${failed(fresh)}`,
    },
  ];
}

/**
 * The collector's own work per hit, alone in an isolate: read and validate the body, bot check, enrich
 * (site and salts given, as the per-isolate caches give them) and serialise the row; no HTTP, no queue.
 */
const LOGIC = `
import { readHits } from "./workers/collector/src/hits";
import { enrich } from "./workers/collector/src/enrich/enrich";
import { botReason } from "./workers/collector/src/enrich/bots";
const site = { id: "site_bench", domain: "${SITE}", hostnames: [], retentionDays: 0, timezone: "UTC", account: "acct" };
const salts = { day: "2026-01-01", current: "a".repeat(64), previous: "b".repeat(64) };
const noon = Date.parse("2026-01-01T12:00:00Z");
export default {
  async fetch(request, env) {
    const { n, freshUa, body, ua, cf } = await request.json();
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const userAgent = freshUa ? ua.replace("131.0.0.0", "131.0." + i + ".0") : ua;
      // With Content-Length, as browsers send hits: a body without one takes the slower streamed read.
      const read = await readHits(new Request("http://x/", { method: "POST", body, headers: { "content-length": String(body.length) } }));
      if (!read.ok || botReason(userAgent, cf)) throw new Error("the bench hit was refused");
      const hit = read.hits[0];
      const row = await enrich(hit, new URL(hit.url), { site, salts, ip: "198.51.100." + (i % 250), userAgent, cf, receivedAt: noon, bridges: env.NONE, links: env.NONE });
      bytes += JSON.stringify(row).length;
    }
    return new Response(String(bytes));
  },
};`;

async function collectorLogic(progress: (message: string) => void): Promise<BenchRow[]> {
  const bundled = await build({ ...WORKER_BUNDLE, stdin: { contents: LOGIC, resolveDir: ROOT, loader: "ts" } });
  const mf = new Miniflare({ modules: true, script: bundled.outputFiles[0]!.text, compatibilityDate: "2026-04-20", log: new Log(LogLevel.ERROR) });
  try {
    const perHit = async (freshUa: boolean, n = 20_000) => {
      const body = hitBody(0).payload;
      const before = workerdCpuMs();
      const response = await mf.dispatchFetch("http://bench/", { method: "POST", body: JSON.stringify({ n, freshUa, body, ua: CHROME_UA, cf: DEV_CF }) });
      if (!response.ok) throw new Error(`the logic probe failed: ${await response.text()}`);
      await response.text();
      return (workerdCpuMs() - before) / n;
    };
    await perHit(false, 2_000);
    progress("collector logic alone: 20,000 hits in one isolate, cached and fresh user agents");
    const cached = await perHit(false);
    const fresh = await perHit(true);
    return [
      {
        area: "ingestion",
        measure: "collector logic alone, CPU per hit (UA cached)",
        value: `${cached.toFixed(3)} ms`,
        target: "< 0.1 ms",
        met: cached < 0.1,
        note: "read + validate + bot check + enrich + serialise, in workerd; no HTTP, no queue send",
      },
      { area: "ingestion", measure: "collector logic alone, CPU per hit (every UA new)", value: `${fresh.toFixed(3)} ms`, note: "ua-parser-js on every hit: what the per-isolate UA cache saves" },
    ];
  } finally {
    await mf.dispose();
  }
}

/** Counts INSERTs on their way to ClickHouse. */
async function insertCounter(target: string) {
  const upstream = new URL(target);
  /** INSERTs into events; every request the Workers sent ClickHouse, and the milliseconds they waited for answers. */
  const counts = { events: 0, requests: 0, waitedMs: 0 };
  const server = http.createServer((request, response) => {
    if (/INSERT\s+INTO\s+events/i.test(decodeURIComponent((request.url ?? "").replaceAll("+", " ")))) counts.events++;
    counts.requests++;
    const sent = performance.now();
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.on("end", () => (counts.waitedMs += performance.now() - sent));
    });
    forward.on("error", () => response.destroy());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, counts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A local ClickHouse behind an INSERT counter, and the collector and flusher for `shards` hits queues in one workerd. */
async function startBenchPipeline(name: string, shards = 1, log: Log = new Log(LogLevel.ERROR)) {
  const dir = mkdtempSync(join(tmpdir(), `pixel-bench-${name}-`));
  const clickHouse = await startClickHouseServer({ port: 0, dataDir: join(dir, "clickhouse") });
  const counter = await insertCounter(clickHouse.url);
  const database = "pixel_bench";
  const client = createClient({ url: clickHouse.url, database });
  let mf: Miniflare | undefined;
  const close = async () => {
    await client.close();
    await mf?.dispose();
    await counter.close();
    await clickHouse.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await migrateClickHouse({ url: clickHouse.url, database }, () => {});
    const bindings = { CLICKHOUSE_URL: counter.url, CLICKHOUSE_DATABASE: database };
    mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      cf: DEV_CF,
      defaultPersistRoot: join(dir, "workers"),
      log,
      logRequests: false,
      workers: [await realWorker("collector", bindings, {}, shards), await realWorker("flusher", bindings, {}, shards)],
    });
    const collectorUrl = new URL("/telemetry/e", (await mf.ready).origin).href;
    await registerSite(mf);
    const count = async (sql: string) => Number(((await (await client.query({ query: sql, format: "JSONEachRow" })).json<{ n: string }>())[0]!).n);
    return { collectorUrl, count, inserts: counter.counts, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function pipeline(progress: (message: string) => void): Promise<BenchRow[]> {
  const { collectorUrl, count, inserts, close } = await startBenchPipeline("pipeline");
  try {
    const stored = () => count("SELECT count() AS n FROM events FINAL");
    progress(`pipeline: ${PIPELINE_HITS} hits in requests of 10, 4 connections, into a local ClickHouse`);
    const batch = (i: number) => ({ payload: JSON.stringify(Array.from({ length: 10 }, (_, k) => JSON.parse(hitBody(i * 10 + k).payload))), ua: CHROME_UA });
    const started = performance.now();
    let sent = 0;
    let failed = 0;
    while (sent < PIPELINE_HITS / 10) {
      const run = await load(collectorUrl, (i) => batch(sent + i), 500, 4);
      sent += run.ok + run.failed;
      failed += run.failed;
    }
    const expected = (sent - failed) * 10;
    const deadline = Date.now() + 60_000;
    let rows = await stored();
    while (rows < expected && Date.now() < deadline) {
      await delay(100);
      rows = await stored();
    }
    const seconds = (performance.now() - started) / 1000;
    progress(`pipeline: ${rows} rows in ${seconds.toFixed(1)} s with ${inserts.events} INSERTs`);
    return [
      { area: "ingestion", measure: "pipeline: hits → rows in ClickHouse", value: `${(rows / seconds).toFixed(0)} events/s`, note: `${rows} of ${expected} rows visible; ${failed} failed requests; collector, queue, flusher and chDB on one machine` },
      { area: "ingestion", measure: "pipeline: rows per INSERT", value: (rows / Math.max(inserts.events, 1)).toFixed(1), note: "max_batch_size 100, max_batch_timeout 2 s" },
    ];
  } finally {
    await close();
  }
}

/** Messages each queue's consumer took, read from Miniflare's `QUEUE <name> <acked>/<total>` lines. */
class QueueTally extends Log {
  readonly consumed = new Map<string, number>();
  constructor() {
    super(LogLevel.INFO);
  }
  override logWithLevel(level: LogLevel, message: string): void {
    const batch = /QUEUE\S*\s+(\S+)\s+\S*?(\d+)\/(\d+)/.exec(message.replace(/\x1b\[[0-9;]*m/g, ""));
    if (batch) this.consumed.set(batch[1]!, (this.consumed.get(batch[1]!) ?? 0) + Number(batch[2]));
    else if (level <= LogLevel.ERROR) super.logWithLevel(level, message);
  }
}

interface Step {
  rate: number;
  offered: number;
  accepted: number;
  failed: number;
  /** Hits taken by the collector and not yet rows in ClickHouse, once a second. */
  backlog: number[];
  /** Answers other than 204 by status (0: no answer). */
  refused: Record<number, number>;
  sustained: boolean;
}

/**
 * Hits at a fixed rate (open loop: requests start on schedule, at most `inFlight` at once) for `seconds`, the
 * backlog (hits answered 204 but not yet rows in ClickHouse) read once a second.
 */
async function paced(url: string, rate: number, seconds: number, hitsPerRequest: number, landed: () => Promise<number>, accepted: { hits: number }, sequence: { next: number }): Promise<Step> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const inFlight = 256;
  const target = new URL(url);
  const step: Step = { rate, offered: 0, accepted: 0, failed: 0, backlog: [], refused: {}, sustained: false };
  const refuse = (status: number) => {
    step.failed++;
    step.refused[status] = (step.refused[status] ?? 0) + 1;
  };
  let open = 0;
  const post = (visitor: number, payload: string) => {
    open++;
    const request = http.request(
      target,
      { method: "POST", agent, headers: { "content-type": "text/plain", "user-agent": CHROME_UA, "cf-connecting-ip": `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor & 255}` } },
      (response) => {
        response.resume();
        response.on("end", () => {
          open--;
          if (response.statusCode === 204) (step.accepted += hitsPerRequest), (accepted.hits += hitsPerRequest);
          else refuse(response.statusCode ?? 0);
        });
      },
    );
    request.on("error", () => (open--, refuse(0)));
    request.end(payload);
  };
  const started = performance.now();
  const running = () => performance.now() - started < seconds * 1000;
  // The backlog is read beside the requests, never between them: a slow count must not slow the sending.
  const sampler = (async () => {
    for (let second = 1; running(); second++) {
      await delay(Math.max(0, started + second * 1000 - performance.now()));
      const taken = accepted.hits;
      step.backlog.push(taken - (await landed()));
    }
  })();
  let sent = 0;
  while (running()) {
    const due = Math.floor(((performance.now() - started) / 1000) * (rate / hitsPerRequest));
    while (sent < due && open < inFlight) {
      const first = sequence.next;
      sequence.next += hitsPerRequest;
      post(first % 5_000, JSON.stringify(Array.from({ length: hitsPerRequest }, (_, k) => JSON.parse(hitBody(first + k).payload))));
      sent++;
    }
    await delay(5);
  }
  while (open > 0) await delay(5);
  await sampler;
  step.offered = (sent * hitsPerRequest) / seconds;
  agent.destroy();
  // Sustained: (nearly) every hit offered was taken, and the backlog stopped growing: its mean over the last four
  // readings is within half a second's hits of the four before (a flusher batch cycle is 2 s or more, so a single
  // reading rises and falls with it).
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
  const growth = mean(step.backlog.slice(-4)) - mean(step.backlog.slice(-8, -4));
  step.sustained = step.failed === 0 && step.backlog.length >= 8 && step.accepted >= 0.95 * rate * seconds && growth <= rate / 2;
  return step;
}

/**
 * The whole path at a rising rate: collector → N hits queues → flusher → local ClickHouse, in one workerd with the
 * configs the deploy generates for PIXEL_BENCH_SHARDS queues. Each step holds its rate for a while; the run stops at
 * the first step the machine does not sustain, then waits until every hit taken is a row (landed = sent).
 */
async function shardedPipeline(progress: (message: string) => void): Promise<BenchRow[]> {
  const shards = Number(process.env.PIXEL_BENCH_SHARDS ?? 4);
  const hitsPerRequest = Number(process.env.PIXEL_BENCH_HITS_PER_REQUEST ?? 2);
  const stepSeconds = 16;
  const tally = new QueueTally();
  const { collectorUrl, count, inserts, close } = await startBenchPipeline("shards", shards, tally);
  try {
    const landed = () => count("SELECT count() AS n FROM events");
    const accepted = { hits: 0 };
    const sequence = { next: 0 };
    const steps: Step[] = [];
    // A warm-up: the first requests pay for bundles, D1 lookups and salts, and the first INSERT for ClickHouse's caches.
    progress("pipeline: warming up");
    const warm = await paced(collectorUrl, 20, 3, hitsPerRequest, landed, accepted, sequence);
    for (const until = Date.now() + 60_000; (await landed()) < warm.accepted && Date.now() < until; ) await delay(250);
    const started = performance.now();
    for (let rate = 50; steps.length < 12; rate = Math.round(rate * 1.5)) {
      progress(`pipeline, ${shards} queues: ${rate} hits/s (${hitsPerRequest} a request) for ${stepSeconds} s`);
      const step = await paced(collectorUrl, rate, stepSeconds, hitsPerRequest, landed, accepted, sequence);
      steps.push(step);
      progress(`  taken ${(step.accepted / stepSeconds).toFixed(0)} hits/s, ${step.failed} failed ${JSON.stringify(step.refused)}; backlog each second: ${step.backlog.join(", ")}; ${step.sustained ? "sustained" : "not sustained"}`);
      if (!step.sustained) break;
    }
    const drainStarted = performance.now();
    let rows = await landed();
    while (rows < accepted.hits && performance.now() - drainStarted < 120_000) {
      await delay(250);
      rows = await landed();
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const distinct = await count("SELECT uniqExact(event_id) AS n FROM events FINAL");
    const hitsQueues = [...tally.consumed].filter(([queue]) => queue.startsWith("pixel-hits") && !queue.includes("dead"));
    const messages = hitsQueues.reduce((sum, [, n]) => sum + n, 0);
    const best = steps.filter((step) => step.sustained).at(-1);
    progress(`pipeline: ${accepted.hits} hits taken, ${distinct} distinct rows after ${drainSeconds.toFixed(1)} s of draining; ${messages} queue messages; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
    const where = `${shards} queues, ${hitsPerRequest} hits a request, ${stepSeconds} s a step; collector, queues, flusher and chDB on this machine, ${loadAverage()} at the end`;
    return [
      {
        area: "ingestion past one queue",
        measure: `sustained pipeline rate, ${shards} hits queues`,
        value: best ? `${(best.accepted / stepSeconds).toFixed(0)} hits/s` : "none",
        note: `highest step taken whole with a backlog that stopped growing (${where}); steps: ${steps.map((step) => `${step.rate}${step.sustained ? "✓" : "✗"}`).join(" ")}`,
      },
      {
        area: "ingestion past one queue",
        measure: "pipeline backlog each second, at the highest sustained step (else the first)",
        value: `${(best ?? steps[0]!).backlog.join(", ")} hits`,
        note: `at ${(best ?? steps[0]!).rate} hits/s; hits answered 204 and not yet rows in ClickHouse: at least the flusher's batch timeout (2 s) of hits`,
      },
      {
        area: "ingestion past one queue",
        measure: "pipeline: landed = sent",
        value: `${distinct} of ${accepted.hits}`,
        target: "all",
        met: distinct === accepted.hits,
        note: `distinct event ids in events FINAL after ${drainSeconds.toFixed(1)} s of draining, over every step`,
      },
      {
        area: "ingestion past one queue",
        measure: "pipeline: queue messages per hit",
        value: (messages / Math.max(accepted.hits, 1)).toFixed(3),
        note: `${messages} messages over ${hitsQueues.length} queues (${hitsQueues.map(([queue, n]) => `${queue} ${n}`).join(", ")}); rows per INSERT ${(rows / Math.max(inserts.events, 1)).toFixed(1)}; the flusher's ${inserts.requests} ClickHouse requests waited ${(inserts.waitedMs / 1000).toFixed(1)} s in all, over ${((performance.now() - started) / 1000).toFixed(0)} s`,
      },
    ];
  } finally {
    await close();
  }
}

/** PIXEL_BENCH_INGEST=pipeline runs only the sharded pipeline (`npm run bench -- ingestion --pipeline-only`), whose rows have an area of their own. */
const ingestion: Benchmark = async (progress) =>
  process.env.PIXEL_BENCH_INGEST === "pipeline"
    ? shardedPipeline(progress)
    : [...(await collectorLogic(progress)), ...(await sideBySide(progress)), ...(await pipeline(progress)), ...(await shardedPipeline(progress))];

export default ingestion;
