import { describe, expect, it } from "vitest";
import { EXTRA_SCRIPTS, PIXEL_SCRIPT } from "@pixel/tracker/dist/pixel-script";
import { collect } from "@pixel/test/support/workers/collector";
import { encodingFor } from "./scripts";

const getScript = (path: string, headers: Record<string, string> = {}) => collect(null, { method: "GET", path, headers });

async function gunzip(response: Response): Promise<string> {
  return new Response(response.body!.pipeThrough(new DecompressionStream("gzip"))).text();
}

describe("serving the scripts compressed", () => {
  it("answers gzip bytes made at build time, which decompress to the script, when the browser accepts gzip", async () => {
    const { response } = await getScript("/telemetry/pixel.js", { "accept-encoding": "gzip, deflate" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(await gunzip(response)).toBe(PIXEL_SCRIPT.js);
  });

  it("prefers brotli, and sends exactly the build's brotli bytes", async () => {
    const { response } = await getScript("/telemetry/pixel.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(response.headers.get("content-encoding")).toBe("br");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(PIXEL_SCRIPT.js.length / 1.5);
    expect(btoa(String.fromCharCode(...bytes))).toBe(PIXEL_SCRIPT.br);
  });

  it("sends the plain script without Accept-Encoding, or when the browser refuses the encodings", async () => {
    const refusals: Record<string, string>[] = [{}, { "accept-encoding": "identity" }, { "accept-encoding": "br;q=0, gzip;q=0" }];
    for (const headers of refusals) {
      const { response } = await getScript("/telemetry/pixel.js", headers);
      expect(response.headers.get("content-encoding")).toBeNull();
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(await response.text()).toBe(PIXEL_SCRIPT.js);
    }
  });

  it("gives each encoding its own ETag, and answers 304 only to the matching one", async () => {
    const first = (await getScript("/telemetry/pixel.js", { "accept-encoding": "gzip" })).response.headers;
    const gzip = first.get("etag")!;
    const plain = (await getScript("/telemetry/pixel.js")).response.headers.get("etag")!;
    expect(gzip).not.toBe(plain);
    const since = { "accept-encoding": "gzip", "if-modified-since": first.get("last-modified")! };
    expect((await getScript("/telemetry/pixel.js", { ...since, "if-none-match": gzip })).response.status).toBe(304);
    expect((await getScript("/telemetry/pixel.js", { ...since, "if-none-match": plain })).response.status).toBe(200);
  });

  it("compresses the extra scripts too", async () => {
    for (const [name, script] of Object.entries(EXTRA_SCRIPTS)) {
      const { response } = await getScript(`/telemetry/${name}`, { "accept-encoding": "gzip" });
      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect(await gunzip(response)).toBe(script.js);
    }
  });

  it("reads Accept-Encoding with q-values and wildcards", () => {
    expect(encodingFor("br;q=1.0, gzip;q=0.8")).toBe("br");
    expect(encodingFor("br;q=0,gzip")).toBe("gzip");
    expect(encodingFor("*")).toBe("gzip");
    expect(encodingFor("deflate")).toBe("identity");
    expect(encodingFor(null)).toBe("identity");
  });
});
