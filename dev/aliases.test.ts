import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import ts from "typescript";
import { createServer } from "vite";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE } from "@pixel/lib/clickhouse/client";
import { ROOT } from "@pixel/deploy/workers";

// Every tool that reads Pixel's code resolves `@pixel/…` (tsconfig.paths.json) to the same file.
const ALIAS = "@pixel/lib/clickhouse/client";
const TARGET = join(ROOT, "lib/clickhouse/client.ts");
const PROGRAMS = [".", "workers/collector", "workers/flusher", "workers/api", "dev", "tracker", "pages/dashboard"];

describe("the @pixel/* import alias", () => {
  it("resolves in vitest's node project", () => {
    expect(DEFAULT_DATABASE).toBe("pixel");
  });

  it.each(PROGRAMS)("resolves in the TypeScript program of %s", (program) => {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, program, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const resolved = ts.resolveModuleName(ALIAS, join(ROOT, program, "probe.ts"), config.options, ts.sys).resolvedModule;
    expect(resolved?.resolvedFileName).toBe(TARGET);
  });

  it.each(["workers/collector/src", "workers/flusher/src", "workers/api/src", "pages/dashboard/functions", "tracker/src"])(
    "resolves in esbuild (wrangler's, the dev stack's and the tracker's bundler) from %s",
    async (dir) => {
      const result = await build({
        // The tracker's build reads the aliases alone (tracker/build.ts); the others find their tsconfig.json.
        ...(dir === "tracker/src" ? { tsconfig: join(ROOT, "tsconfig.paths.json") } : {}),
        stdin: { contents: `export { DEFAULT_DATABASE } from "${ALIAS}";`, resolveDir: join(ROOT, dir), loader: "ts" },
        bundle: true, write: false, format: "esm", platform: "neutral", external: ["@clickhouse/*"], metafile: true, logLevel: "silent",
      });
      expect(Object.keys(result.metafile.inputs)).toContain("lib/clickhouse/client.ts");
    },
  );

  it("resolves in tsx, which runs every npm run script", () => {
    const printed = execFileSync(join(ROOT, "node_modules/.bin/tsx"), ["--eval", `import { DEFAULT_DATABASE } from "${ALIAS}"; console.log(DEFAULT_DATABASE);`], { cwd: ROOT, encoding: "utf8" });
    expect(printed.trim()).toBe("pixel");
  }, 60_000);

  it("resolves in the dashboard's vite config", async () => {
    const server = await createServer({ configFile: join(ROOT, "pages/dashboard/vite.config.ts"), server: { middlewareMode: true, hmr: false, ws: false }, logLevel: "silent" });
    try {
      const resolved = await server.pluginContainer.resolveId(ALIAS, join(ROOT, "pages/dashboard/src/index.tsx"));
      expect(resolved?.id).toBe(TARGET);
    } finally {
      await server.close();
    }
  }, 60_000);
});
