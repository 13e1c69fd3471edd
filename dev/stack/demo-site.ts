import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { listen, proxy } from "./proxy";

const DIR = fileURLToPath(new URL("../demo-site/", import.meta.url));

/** A customer's site: a few linked pages with the seed's snippet, and /telemetry/* routed to the collector. */
export async function startDemoSite(options: { port: number; collectorUrl: string }) {
  const layout = readFileSync(`${DIR}_layout.html`, "utf8");
  const pages: Record<string, { title: string; body: string }> = JSON.parse(readFileSync(`${DIR}pages.json`, "utf8"));
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://demo").pathname;
    if (path.startsWith("/telemetry/")) return proxy(request, response, options.collectorUrl);
    const page = pages[path === "/index.html" ? "/" : path];
    if (!page) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const html = layout.replaceAll("{{title}}", page.title).replace("{{body}}", page.body);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  const port = await listen(server, options.port);
  return { server, url: `http://localhost:${port}` };
}
