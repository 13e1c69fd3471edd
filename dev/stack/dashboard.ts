import http from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { listen, proxy } from "./proxy";

const DASHBOARD = fileURLToPath(new URL("../../pages/dashboard/", import.meta.url));

/** The dashboard with hot reload, as `npm run dev` serves it; /api goes to the api Worker. */
export async function startDashboardDevServer(options: { port: number; apiUrl: string }) {
  const { createServer } = await import("vite");
  const apiPort = new URL(options.apiUrl).port;
  process.env.PIXEL_API_PORT = apiPort;
  const server = await createServer({
    configFile: join(DASHBOARD, "vite.config.ts"),
    server: { port: options.port, strictPort: true, host: "127.0.0.1", proxy: { "/api": options.apiUrl } },
    logLevel: "warn",
  });
  await server.listen();
  const address = server.httpServer?.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** The built dashboard as Cloudflare Pages serves it (SPA fallback), with the api on the same origin. */
export async function startDashboardStaticServer(options: { port: number; apiUrl: string }) {
  const dist = join(DASHBOARD, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("the dashboard is not built: run `npm run build:dashboard`");
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://dashboard").pathname;
    if (path.startsWith("/api/")) return proxy(request, response, options.apiUrl);
    const file = normalize(join(dist, path));
    const found = file.startsWith(dist) && existsSync(file) && extname(file) ? file : join(dist, "index.html");
    response.writeHead(200, { "content-type": TYPES[extname(found)] ?? "application/octet-stream" });
    response.end(readFileSync(found));
  });
  const port = await listen(server, options.port);
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
