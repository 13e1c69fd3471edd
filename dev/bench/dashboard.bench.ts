import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Benchmark } from "./report";

const DASHBOARD = fileURLToPath(new URL("../../pages/dashboard/", import.meta.url));
const BUDGET_GZIP = 60 * 1024;

/** The dashboard's bundle as Pages serves it: what the first view loads, and the chart loaded after it. */
const dashboardSize: Benchmark = async (progress) => {
  progress("building the dashboard");
  const { build } = await import("vite");
  await build({ configFile: join(DASHBOARD, "vite.config.ts"), logLevel: "warn" });
  const assets = join(DASHBOARD, "dist/assets");
  const html = readFileSync(join(DASHBOARD, "dist/index.html"), "utf8");
  const sizes = readdirSync(assets)
    .filter((file) => file.endsWith(".js"))
    .map((file) => {
      const bytes = readFileSync(join(assets, file));
      return { file, initial: html.includes(file), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
  const initial = sizes.filter((size) => size.initial);
  const initialGzip = initial.reduce((sum, size) => sum + size.gzip, 0);
  const lazy = sizes.filter((size) => !size.initial);
  return [
    {
      area: "dashboard",
      measure: "initial JavaScript, gzip",
      value: `${(initialGzip / 1024).toFixed(1)} KB`,
      target: "≤ 60 KB",
      met: initialGzip <= BUDGET_GZIP,
      note: `${(initial.reduce((sum, size) => sum + size.raw, 0) / 1024).toFixed(1)} KB raw`,
    },
    {
      area: "dashboard",
      measure: "lazily loaded JavaScript (chart), gzip",
      value: `${(lazy.reduce((sum, size) => sum + size.gzip, 0) / 1024).toFixed(1)} KB`,
      note: `${lazy.length} chunk(s), loaded when the chart is shown`,
    },
  ];
};

export default dashboardSize;
