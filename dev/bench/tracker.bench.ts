import { buildTracker, GZIP_BUDGET_BYTES } from "@pixel/tracker/build";
import type { Benchmark } from "./report";

const trackerSize: Benchmark = async (progress) => {
  progress("building pixel.js");
  const sizes = await buildTracker();
  return [
    { area: "tracker", measure: "pixel.js raw", value: `${sizes.raw} B` },
    {
      area: "tracker",
      measure: "pixel.js gzip (level 9)",
      value: `${sizes.gzip} B`,
      target: `≤ ${GZIP_BUDGET_BYTES} B`,
      met: sizes.gzip <= GZIP_BUDGET_BYTES,
      note: `esbuild alone: ${sizes.esbuildGzip} B; upstream pixel ships ~5.2 KB gzip`,
    },
    { area: "tracker", measure: "pixel.js brotli (q11)", value: `${sizes.brotli} B` },
    ...Object.entries(sizes.extras).map(([name, extra]) => ({
      area: "tracker",
      measure: `${name} raw / gzip / brotli`,
      value: `${extra.raw} / ${extra.gzip} / ${extra.brotli} B`,
      note: name.includes("device") ? "loaded only with identity: 'device'" : "loaded after the first pageview",
    })),
  ];
};

export default trackerSize;
