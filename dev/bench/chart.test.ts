import { describe, expect, it } from "vitest";
import { benchmarksChart } from "./chart";

const bars = (svg: string) => [...svg.matchAll(/<rect x="(\d+)" y="[\d.]+" width="([\d.]+)" height="14" class="bar"\/>/g)].map((match) => Number(match[2]));

describe("the benchmarks chart", () => {
  it("draws a bar per query time and per ingestion CPU time, in proportion, with the row's own text", () => {
    const svg = benchmarksChart([
      { area: "queries", measure: "one exact scan: median", value: "200 ms" },
      { area: "queries", measure: "overview: median / p95", value: "400 / 800 ms", target: "< 300 / < 600 ms", met: false },
      { area: "queries", measure: "events in the 30 days", value: "1,000,000" },
      { area: "ingestion", measure: "collector, CPU per hit", value: "2681 req/s, 0.381 ms CPU/req" },
      { area: "tracker", measure: "pixel.js gzip", value: "2021 B" },
    ]);
    const [scan, overview, collector] = bars(svg);
    expect(bars(svg)).toHaveLength(3);
    expect(overview! / scan!).toBeCloseTo(2, 1);
    expect(collector).toBeGreaterThan(0);
    expect(svg).toContain(">400 / 800 ms<");
    expect(svg).toContain('class="high"');
    expect(svg).toContain('class="target"');
    expect(svg).not.toContain("pixel.js");
    expect(svg).not.toContain("events in the 30 days");
  });

  it("escapes the rows' text and leaves out a panel with no time", () => {
    const svg = benchmarksChart([{ area: "queries", measure: "a <page> & \"filter\"", value: "5 ms" }]);
    expect(svg).toContain("a &lt;page&gt; &amp; &quot;filter&quot;");
    expect(svg).not.toContain("Ingestion");
  });
});
