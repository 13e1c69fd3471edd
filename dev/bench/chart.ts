// The picture in docs/benchmarks.md: the query and ingestion rows of the table, as horizontal bars, drawn from the
// same rows `npm run bench` writes into the table (dev/bench/run.ts), so both change together.
import type { BenchRow } from "./report";

interface Bar {
  label: string;
  value: number;
  /** The p95 beside a median, when the row gives one. */
  high?: number;
  /** The target's bound in the same unit, when the row has one. */
  target?: number;
  text: string;
}

const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)`;
const number = (text: string) => Number(text.replace(/,/g, ""));

/** Query times: `187 ms` or `539 / 684 ms` (median / p95); the target's first bound (`< 300 / < 600 ms`). */
function queryBar(row: BenchRow): Bar | undefined {
  const match = new RegExp(`^${NUMBER}(?: / ${NUMBER})? ms$`).exec(row.value);
  if (!match) return undefined;
  const target = new RegExp(`[<≤] ${NUMBER}`).exec(row.target ?? "")?.[1];
  return { label: row.measure, value: number(match[1]!), high: match[2] === undefined ? undefined : number(match[2]), target: target === undefined ? undefined : number(target), text: row.value };
}

/** Ingestion CPU time: the first `N ms` of the value (`0.075 ms`, `8554 req/s, 0.083 ms CPU/req`). */
function ingestionBar(row: BenchRow): Bar | undefined {
  const match = new RegExp(`${NUMBER} ms`).exec(row.value);
  if (!match) return undefined;
  const target = new RegExp(`[<≤] ${NUMBER} ms`).exec(row.target ?? "")?.[1];
  return { label: row.measure, value: number(match[1]!), target: target === undefined ? undefined : number(target), text: row.value };
}

const WIDTH = 960;
const LABEL_WIDTH = 520;
const BAR_AREA = WIDTH - LABEL_WIDTH - 210;
const ROW_HEIGHT = 22;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const shorten = (text: string, max = 72) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function panel(title: string, bars: Bar[], top: number): { svg: string; height: number } {
  const scale = Math.max(...bars.flatMap((bar) => [bar.high ?? bar.value, bar.target ?? 0])) || 1;
  const x = (value: number) => LABEL_WIDTH + (value / scale) * BAR_AREA;
  const parts = [`<text x="0" y="${top + 16}" class="title">${escape(title)}</text>`];
  bars.forEach((bar, at) => {
    const y = top + 28 + at * ROW_HEIGHT;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 14}" class="label" text-anchor="end">${escape(shorten(bar.label))}</text>`);
    if (bar.high !== undefined) parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${(x(bar.high) - LABEL_WIDTH).toFixed(1)}" height="10" class="high"/>`);
    parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${Math.max(1, x(bar.value) - LABEL_WIDTH).toFixed(1)}" height="14" class="bar"/>`);
    if (bar.target !== undefined) parts.push(`<line x1="${x(bar.target).toFixed(1)}" x2="${x(bar.target).toFixed(1)}" y1="${y}" y2="${y + 18}" class="target"/>`);
    parts.push(`<text x="${(x(bar.high ?? bar.value) + 6).toFixed(1)}" y="${y + 14}" class="value">${escape(shorten(bar.text, 30))}</text>`);
  });
  return { svg: parts.join("\n"), height: 36 + bars.length * ROW_HEIGHT };
}

/** The chart as an SVG document; panels without a row that has a time are left out. */
export function benchmarksChart(rows: BenchRow[]): string {
  const panels = [
    { title: "Queries: time (ms); the bar is the median, the pale bar the p95, the red line the target", bars: rows.filter((row) => row.area === "queries").map(queryBar) },
    { title: "Ingestion: CPU time (ms) per hit or request; the red line is the target", bars: rows.filter((row) => row.area === "ingestion").map(ingestionBar) },
  ].map((each) => ({ ...each, bars: each.bars.filter((bar): bar is Bar => bar !== undefined) })).filter((each) => each.bars.length > 0);
  let top = 0;
  const drawn = panels.map((each) => {
    const { svg, height } = panel(each.title, each.bars, top);
    top += height + 16;
    return svg;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="system-ui, sans-serif" font-size="12">`,
    `<style>.title{font-weight:600;font-size:13px}.label{fill:#333}.value{fill:#555}.bar{fill:#4f6bed}.high{fill:#b9c4f8}.target{stroke:#d33;stroke-width:2}</style>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...drawn,
    "</svg>",
    "",
  ].join("\n");
}
