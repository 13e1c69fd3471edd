import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, loadEnv, type Plugin } from "vite";
import solid from "vite-plugin-solid";
import { viteAliases } from "../../vite-aliases";

const host = "127.0.0.1";
const port = Number(process.env.PIXEL_DASHBOARD_PORT ?? 5173);
/** Keeps the Host, as the Pages Function forwards requests unchanged: the api sees the dashboard's origin. */
const proxy = { "/api": { target: "http://127.0.0.1:" + (process.env.PIXEL_API_PORT ?? "8788"), changeOrigin: false } };
const HEADERS_FILE = join(import.meta.dirname, "public/_headers");

/** The `_headers` rule for every path, for the dev server; without the CSP, which Vite's hot reload (inline scripts) breaks. */
function devHeaders(): Record<string, string> {
  const rule = readFileSync(HEADERS_FILE, "utf8").split("\n/*\n")[1]!.split(/\n(?=\S)/)[0]!;
  const pairs = rule.split("\n").map((line) => /^\s+([\w-]+):\s*(.+)$/.exec(line)).filter((match) => match !== null);
  return Object.fromEntries(pairs.filter(([, name]) => name !== "Content-Security-Policy").map(([, name, value]) => [name!, value!]));
}

/** Cross-origin mode: the built `_headers` lets the dashboard's pages call the api's origin. */
function apiOriginInCsp(apiOrigin: string): Plugin {
  return {
    name: "pixel-api-origin-in-csp",
    apply: "build",
    writeBundle({ dir }) {
      const file = join(dir!, "_headers");
      writeFileSync(file, readFileSync(file, "utf8").replace("connect-src 'self'", `connect-src 'self' ${new URL(apiOrigin).origin}`));
    },
  };
}

export default defineConfig(({ mode }) => {
  const apiOrigin = loadEnv(mode, import.meta.dirname, "VITE_").VITE_PIXEL_API_ORIGIN;
  return {
    root: import.meta.dirname,
    plugins: [solid(), ...(apiOrigin ? [apiOriginInCsp(apiOrigin)] : [])],
    // `@pixel/…` imports, as tsconfig.paths.json says.
    resolve: { alias: viteAliases() },
    build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
    server: { host, port, strictPort: true, proxy, headers: devHeaders() },
    preview: { host, port, strictPort: true, proxy },
  };
});
