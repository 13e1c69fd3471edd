import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTracker } from "./build";

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
});
