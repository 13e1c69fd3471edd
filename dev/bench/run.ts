import { cpus, totalmem } from "node:os";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Benchmark, BenchRow } from "./report";
import { benchmarksChart } from "./chart";
import { parseCli } from "@pixel/lib/node/cli";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const OUTPUT = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));
/** The chart of the table's query and ingestion rows, beside the doc. */
const CHART = fileURLToPath(new URL("../../docs/benchmarks.svg", import.meta.url));

const { positionals: only, values: flags } = parseCli(
  "bench",
  `Runs every dev/bench/*.bench.ts, or those whose names start with the given words, and writes docs/benchmarks.md
(rows of benchmarks not run keep their earlier figures).

  npm run bench -- [ingestion] [queries] [tracker] … [--events N] [--without-comparison] [--shards N] [--hits-per-request N] [--pipeline-only]

  --events N             events in the big site's 30 days (queries, dashboard); default 10000000 (PIXEL_BENCH_EVENTS)
  --without-comparison   generate only those 30 days, not the 30 before, and time no overview with the comparison on
                         (halves a 100M run's generation; PIXEL_BENCH_COMPARISON=off)
  --shards N             hits queues in the ingestion pipeline's rising-rate run; default 4 (PIXEL_BENCH_SHARDS)
  --hits-per-request N   hits in each request of that run; default 2 (PIXEL_BENCH_HITS_PER_REQUEST)
  --pipeline-only        ingestion: only that run, not the collector and side-by-side figures (PIXEL_BENCH_INGEST=pipeline)

  PIXEL_BENCH_DATA=DIR keeps the big site's generated database (queries, funnels, page-reports, retention, revenue, segments, sites) in DIR and reuses it when the same
  generator (dev/bench/traffic.ts) made it with the same number of events; otherwise it is made again from empty
  tables (generating 10M events takes minutes on a quiet machine).`,
  { options: { events: { type: "string" }, shards: { type: "string" }, "hits-per-request": { type: "string" }, "pipeline-only": { type: "boolean" }, "without-comparison": { type: "boolean" } }, allowPositionals: true },
);
for (const [flag, variable, most] of [["shards", "PIXEL_BENCH_SHARDS", 16], ["hits-per-request", "PIXEL_BENCH_HITS_PER_REQUEST", 50]] as const) {
  const value = flags[flag];
  if (value === undefined) continue;
  if (!/^[1-9]\d*$/.test(value) || Number(value) > most) {
    console.error(`bench: --${flag} takes a whole number from 1 to ${most}`);
    process.exit(2);
  }
  process.env[variable] = value;
}
if (flags["pipeline-only"]) process.env.PIXEL_BENCH_INGEST = "pipeline";
if (flags["without-comparison"]) process.env.PIXEL_BENCH_COMPARISON = "off";
if (flags.events !== undefined) {
  if (!/^[1-9]\d*$/.test(flags.events)) {
    console.error("bench: --events takes a whole number of events, e.g. --events 100000000");
    process.exit(2);
  }
  // Read by the benchmarks when they are imported below.
  process.env.PIXEL_BENCH_EVENTS = flags.events;
}

async function main() {
  const files = readdirSync(HERE)
    .filter((file) => file.endsWith(".bench.ts"))
    .filter((file) => !only.length || only.some((name) => file.startsWith(name)))
    .sort();
  const rows: BenchRow[] = [];
  for (const [i, file] of files.entries()) {
    const label = `[${i + 1}/${files.length}] ${file.replace(".bench.ts", "")}`;
    const started = Date.now();
    process.stderr.write(`${label} ...\n`);
    const benchmark = (await import(pathToFileURL(`${HERE}${file}`).href)).default as Benchmark;
    rows.push(...(await benchmark((message) => process.stderr.write(`${label}: ${message}\n`))));
    process.stderr.write(`${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const measuredAreas = new Set(rows.map((row) => row.area));
  const kept = previousRows().filter((row) => !measuredAreas.has(row.area));
  const table = render([...kept, ...rows]);
  writeFileSync(OUTPUT, table);
  writeFileSync(CHART, benchmarksChart([...kept, ...rows]));
  console.log(table);
  console.log(`written to ${OUTPUT} and ${CHART}`);
}

/** Rows of areas not measured in this run stay as they were, with the date they were measured on. */
function previousRows(): BenchRow[] {
  if (!existsSync(OUTPUT)) return [];
  const measuredOn = /Measured by `npm run bench` on (\S+),/.exec(readFileSync(OUTPUT, "utf8"))?.[1];
  return readFileSync(OUTPUT, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| area") )
    .map((line) => line.slice(2, -2).split(" | "))
    .filter((cells) => cells.length === 6)
    .map(([area, measure, value, target, met, note]) => ({
      area: area!,
      measure: measure!,
      value: value!,
      target: target || undefined,
      met: met === "✓" ? true : met === "✗" ? false : undefined,
      note: note?.includes("measured on") || !measuredOn ? note : [note, `measured on ${measuredOn}`].filter(Boolean).join("; "),
    }));
}

function render(rows: BenchRow[]): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  const verdict = (row: BenchRow) => (row.met === undefined ? "" : row.met ? "✓" : "✗");
  const lines = [
    "# Benchmarks",
    "",
    `Measured by \`npm run bench\` on ${date}, on ${machine}.`,
    "Shared machines are noisy: compare ratios measured in the same run, not absolute figures across runs.",
    "The queries rows read one site whose 30 days hold `PIXEL_BENCH_EVENTS` events (default 10 M) with realistic cardinalities,",
    "generated inside ClickHouse by `dev/bench/traffic.ts`; parts stay as background merges leave them, measured once no merge has",
    "run for a few seconds (`PIXEL_BENCH_OPTIMIZED=1` adds labelled figures after `OPTIMIZE … FINAL`). The Chromium row opens the same site",
    "through the local stack. The overview is built by the dashboard's own code and answered by the api's",
    "batch planner and runners (`runQuery`, `runCombined`), beside one exact scan of the same raw events. An area named",
    "“… at N events” was measured with `--events N` (e.g. 100 M), and “…, no comparison period” with `--without-comparison`, beside the 10 M rows; the goals are the 10 M rows'.",
    "",
    "![The query times and the ingestion CPU times of the table below, as bars](benchmarks.svg)",
    "",
    "| area | measure | value | target | met | note |",
    "|---|---|---|---|---|---|",
    ...rows.map((row) => `| ${row.area} | ${row.measure} | ${row.value} | ${row.target ?? ""} | ${verdict(row)} | ${row.note ?? ""} |`),
    "",
  ];
  return lines.join("\n");
}

main().catch((error: Error) => {
  console.error(`benchmarks failed: ${error.message}`);
  process.exit(1);
});
