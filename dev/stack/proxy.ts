import http from "node:http";

/** Forwards a request unchanged to `origin`, as a Cloudflare route or a same-zone API path would. */
export function proxy(request: http.IncomingMessage, response: http.ServerResponse, origin: string) {
  const target = new URL(request.url ?? "/", origin);
  const headers = { ...request.headers, host: target.host };
  const upstream = http.request(target, { method: request.method, headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on("error", (error) => {
    response.writeHead(502, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: `upstream ${origin} is not answering: ${error.message}` }));
  });
  request.pipe(upstream);
}

export function listen(server: http.Server, port: number, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is in use: stop what runs there or choose another port`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

export const closeServer = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * Chosen below the ephemeral ports (32768–60999 on Linux, 49152–65535 on macOS) that outgoing connections take: a
 * port the kernel hands out for listen(0) can be taken by a connection before the server that needed it binds it
 * (CI once failed that way, EADDRINUSE on the dashboard's port).
 */
const FREE_PORTS = { first: 20_000, last: 32_767, tries: 50 };

/** A port nothing listens on now, for a server that must be known before it starts. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < FREE_PORTS.tries; attempt++) {
    const port = FREE_PORTS.first + Math.floor(Math.random() * (FREE_PORTS.last - FREE_PORTS.first + 1));
    const server = http.createServer();
    const listening = await listen(server, port).then(
      () => true,
      () => false,
    );
    if (!listening) continue;
    await closeServer(server);
    return port;
  }
  throw new Error(`no free port between ${FREE_PORTS.first} and ${FREE_PORTS.last} after ${FREE_PORTS.tries} tries: stop some local servers`);
}
