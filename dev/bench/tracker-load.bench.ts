import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildTracker } from "@pixel/tracker/build";
import { launchBrowser } from "@pixel/test/support/chromium";
import type { Benchmark } from "./report";

const DIST = fileURLToPath(new URL("../../tracker/dist/", import.meta.url));
const RUNS = 10;

const PAGE = `<!doctype html><html><head><title>load</title><script>
  window.__pixel_test = true;
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
    .observe({ type: "longtask", buffered: true });
  var _pixel = (window._pixel = window._pixel || []);
  _pixel.push(["config", "baseUrl", "/telemetry"]);
  _pixel.push(["track", "pageview"]);
  (function () { var js = document.createElement("script"); js.async = true; js.src = "/telemetry/pixel.js";
    var f = document.getElementsByTagName("script")[0]; f.parentNode.insertBefore(js, f); })();
</script></head><body><p>hello</p></body></html>`;

/** pixel.js in real Chromium: does loading it ever make a long task (≥ 50 ms), and how long does it run? */
const trackerLoad: Benchmark = async (progress) => {
  await buildTracker();
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://bench").pathname;
    if (path.startsWith("/telemetry/pixel")) {
      response.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(`${DIST}${path.slice("/telemetry/".length)}`));
    } else if (path === "/telemetry/e") {
      request.resume().on("end", () => response.writeHead(204).end());
    } else {
      response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const browser = await launchBrowser();
  const longTasks: number[] = [];
  const scriptMs: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      progress(`page load ${run}/${RUNS}`);
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForTimeout(1500);
      const measured = await page.evaluate(() => ({
        longTasks: (window as unknown as { __longTasks: number[] }).__longTasks,
        script: performance.getEntriesByType("resource").find((entry) => entry.name.endsWith("/pixel.js"))?.duration ?? 0,
      }));
      longTasks.push(...measured.longTasks);
      scriptMs.push(measured.script);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const median = [...scriptMs].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return [
    {
      area: "tracker",
      measure: `long tasks (≥ 50 ms) while a page loads pixel.js, ${RUNS} loads`,
      value: `${longTasks.length}`,
      target: "0",
      met: longTasks.length === 0,
      note: longTasks.length ? `longest ${Math.max(...longTasks).toFixed(0)} ms` : "headless Chromium, async snippet",
    },
    { area: "tracker", measure: "pixel.js fetch on loopback: median", value: `${median.toFixed(1)} ms`, note: "resource timing; the snippet loads it async" },
  ];
};

export default trackerLoad;
