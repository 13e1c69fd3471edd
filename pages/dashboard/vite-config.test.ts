import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type UserConfig } from "vite";
import { afterEach, describe, expect, it } from "vitest";
import config from "./vite.config";

const CONFIG_FILE = join(import.meta.dirname, "vite.config.ts");
const resolve = (mode: string) => (config as (env: { mode: string; command: "serve" | "build" }) => UserConfig)({ mode, command: "serve" });

describe("the dashboard's headers outside Pages", () => {
  afterEach(() => {
    delete process.env.VITE_PIXEL_API_ORIGIN;
  });

  it("the dev server sends the _headers rule for every path, all but the CSP", () => {
    const headers = resolve("development").server!.headers as Record<string, string>;
    expect(headers).toMatchObject({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin" });
    expect(headers["Strict-Transport-Security"]).toContain("max-age=");
    expect(Object.keys(headers)).not.toContain("Content-Security-Policy");
  });

  it("the dev server forwards /api with the Host kept, as the Pages Function does, so the api sees the dashboard's origin", () => {
    expect(resolve("development").server!.proxy!["/api"]).toMatchObject({ changeOrigin: false });
  });

  it("a cross-origin build lets the pages connect to the api's origin, and a same-origin build to their own only", async () => {
    const csp = async () => {
      const outDir = mkdtempSync(join(tmpdir(), "pixel-dashboard-build-"));
      try {
        await build({ configFile: CONFIG_FILE, build: { outDir, emptyOutDir: true }, logLevel: "silent" });
        return /connect-src [^;]+/.exec(readFileSync(join(outDir, "_headers"), "utf8").split("\n/*\n")[1]!)![0];
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    };
    expect(await csp()).toBe("connect-src 'self'");
    process.env.VITE_PIXEL_API_ORIGIN = "https://api.example.com/";
    expect(await csp()).toBe("connect-src 'self' https://api.example.com");
  }, 60_000);
});
