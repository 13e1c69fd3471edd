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

/** A port nothing listens on now, for a server that must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server, 0);
  await closeServer(server);
  return port;
}
