import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTracker, describeSizes, GZIP_BUDGET_BYTES } from "./build";

describe("the tracker build", () => {
  it("emits gzip and brotli bytes for the collector that decompress to each script", async () => {
    await buildTracker();
    const { PIXEL_SCRIPT, EXTRA_SCRIPTS } = await import("./dist/pixel-script");
    for (const script of [PIXEL_SCRIPT, ...Object.values(EXTRA_SCRIPTS)] as { js: string; gzip: string; br: string }[]) {
      expect(script.js.length).toBeGreaterThan(500);
      expect(gunzipSync(Buffer.from(script.gzip, "base64")).toString("utf8")).toBe(script.js);
      expect(brotliDecompressSync(Buffer.from(script.br, "base64")).toString("utf8")).toBe(script.js);
      expect(Buffer.from(script.br, "base64").length).toBeLessThan(Buffer.byteLength(script.js));
    }
  });

  it("minifies with terser after esbuild, within the budget, and reports both gzip sizes", async () => {
    const sizes = await buildTracker();
    for (const script of [sizes, ...Object.values(sizes.extras)]) expect(script.gzip).toBeLessThan(script.esbuildGzip);
    expect(sizes.gzip).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
    expect(describeSizes("pixel.js", sizes)).toBe(
      `tracker/dist/pixel.js: ${sizes.raw} B raw, ${sizes.gzip} B gzip (esbuild alone ${sizes.esbuildGzip} B), ${sizes.brotli} B brotli`,
    );
  });
});
