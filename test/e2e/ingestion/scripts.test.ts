import { readFileSync } from "node:fs";
import http from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PIXEL_SCRIPT } from "@pixel/tracker/dist/pixel-script";
import { TEST_DATABASES } from "../../setup/databases";
import { startPipeline, type Pipeline } from "./support";

let pipeline: Pipeline;
const PIXEL_JS = readFileSync(new URL("../../../tracker/dist/pixel.js", import.meta.url), "utf8");

beforeAll(async () => {
  pipeline = await startPipeline({ clickHouseUrl: inject("clickHouseUrl"), database: TEST_DATABASES.ingestion });
});

afterAll(async () => {
  await pipeline?.stop();
});

/** A raw HTTP GET: unlike fetch, node:http leaves the body as it came over the wire. */
function get(path: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${pipeline.collectorUrl}${path}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/**
 * Miniflare's entry Worker plays Cloudflare's front line: the collector always sees `Accept-Encoding: br, gzip`,
 * and the front line re-encodes the answer for what the client accepts.
 */
describe("pixel.js over HTTP from workerd, behind the emulated front line", () => {
  it("passes the build's brotli bytes through untouched to a browser that accepts brotli", async () => {
    const { headers, body } = await get("/telemetry/pixel.js", { "accept-encoding": "br, gzip" });
    expect(headers["content-encoding"]).toBe("br");
    expect(headers.vary).toBe("Accept-Encoding");
    expect(body.toString("base64")).toBe(PIXEL_SCRIPT.br);
    expect(brotliDecompressSync(body).toString("utf8")).toBe(PIXEL_JS);
  });

  it("arrives gzip-encoded to a client that accepts only gzip", async () => {
    const { headers, body } = await get("/telemetry/pixel.js", { "accept-encoding": "gzip" });
    expect(headers["content-encoding"]).toBe("gzip");
    expect(body.length).toBeLessThan(Buffer.byteLength(PIXEL_JS));
    expect(gunzipSync(body).toString("utf8")).toBe(PIXEL_JS);
  });

  it("arrives plain to a client that accepts no compression", async () => {
    const { headers, body } = await get("/telemetry/pixel.js", { "accept-encoding": "identity" });
    expect(headers["content-encoding"]).toBeUndefined();
    expect(body.toString("utf8")).toBe(PIXEL_JS);
  });
});
