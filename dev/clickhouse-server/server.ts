import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { ChdbEngine, chdbVersion } from "./engine";
import { type ClickHouseException, clickHouseError, exceptionText, fromEngineError, httpStatusOf } from "./errors";
import { type ClickHouseRequest, QueryExecutor, type QueryOutcome, type QuerySummary } from "./executor";
import { contentTypeOf } from "./formats";
import type { LocalUser } from "@pixel/lib/clickhouse/node/users";
import { authenticate, parseRequest, readBody, type ResponseOptions } from "./request";
import { SessionRegistry } from "./sessions";
import { AccessManagement, isAccessStatement } from "./access-management";

/** ClickHouse's default `http_max_uri_size`. */
const HTTP_MAX_URI_SIZE = 1_048_576;

export interface ClickHouseServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  dataDir: string;
  /** When `user` or `password` is set, every query must carry these credentials; this user may do anything. */
  user?: string;
  password?: string;
  /**
   * Users each query must authenticate as; those with `access` (users.sql's users) get their profile's settings
   * and constraints and their grants enforced.
   */
  users?: LocalUser[];
  /**
   * Admins (users without `access`) may CREATE USER / ROLE / SETTINGS PROFILE and GRANT at run time, as on a server
   * with access management on; those users last until the server stops. Without `user`, the admin is `default`.
   */
  accessManagement?: boolean;
  log?: (line: string) => void;
  /** Largest accepted request body, before and after decompression. Defaults to 256 MiB. */
  maxBodyBytes?: number;
}

export interface ClickHouseServer {
  url: string;
  port: number;
  versions: { chdb: string; clickhouse: string };
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
const TIMEZONE = "UTC";
const SHUTDOWN_GRACE_MS = 5000;

const servedDataDirs = new Set<string>();

interface ServerContext {
  engine: ChdbEngine;
  executor: QueryExecutor;
  users?: Map<string, LocalUser>;
  access?: AccessManagement;
  maxBodyBytes: number;
  log: (line: string) => void;
  closing: boolean;
}

/** ClickHouse's default keep_alive_timeout (DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT in its Defines.h), in seconds. */
export const KEEP_ALIVE_SECONDS = 30;

/** Serves ClickHouse's HTTP interface (the part `@clickhouse/client-web` and curl use) over chDB. */
export async function startClickHouseServer(options: ClickHouseServerOptions): Promise<ClickHouseServer> {
  const dataDir = path.resolve(options.dataDir);
  if (servedDataDirs.has(dataDir)) {
    throw new Error(`${dataDir} is already served by a local ClickHouse server in this process; close that one first`);
  }
  servedDataDirs.add(dataDir);
  try {
    const engine = await ChdbEngine.open(dataDir);
    try {
      return await serve(engine, options);
    } catch (error) {
      await engine.close();
      throw error;
    }
  } catch (error) {
    servedDataDirs.delete(dataDir);
    throw error;
  }
}

async function serve(engine: ChdbEngine, options: ClickHouseServerOptions): Promise<ClickHouseServer> {
  const log = options.log ?? (() => {});
  const sessions = new SessionRegistry(engine, log);
  const users = usersOf(options);
  const context: ServerContext = {
    engine,
    executor: new QueryExecutor(engine, sessions, TIMEZONE, log),
    users,
    access: users && options.accessManagement ? new AccessManagement(users) : undefined,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log,
    closing: false,
  };
  const answering = new Set<Promise<void>>();
  // ClickHouse takes a request line of up to http_max_uri_size (1 MiB); Node's default of 16 KB would refuse query
  // parameters production takes, e.g. the event ids of a flusher batch of packs.
  const server = http.createServer({ maxHeaderSize: HTTP_MAX_URI_SIZE }, (request, response) => {
    const answered = new Promise<void>((resolve) => response.once("close", resolve));
    answering.add(answered);
    void answered.then(() => answering.delete(answered));
    handle(context, request, response).catch((error: unknown) => {
      log(`unexpected failure answering ${request.method} ${request.url}: ${String(error)}`);
      response.destroy();
    });
  });
  // ClickHouse's keep_alive_timeout: its clients (workerd's pool among them) reuse an idle connection for up to 30 s.
  // Node's default of 5 s closed connections workerd then reused, failing their next query as "Network connection lost".
  server.keepAliveTimeout = KEEP_ALIVE_SECONDS * 1000;
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, host);
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    versions: { chdb: chdbVersion, clickhouse: engine.version },
    close: () => (closed ??= shutDown(context, server, sessions, answering)),
  };
}

function usersOf(options: ClickHouseServerOptions): Map<string, LocalUser> | undefined {
  const users = [...(options.users ?? [])];
  if (options.user !== undefined || options.password !== undefined || options.accessManagement) {
    users.push({ name: options.user ?? "default", password: options.password ?? "" });
  }
  return users.length ? new Map(users.map((user) => [user.name, user])) : undefined;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EADDRINUSE"
          ? `Port ${port} on ${host} is already in use (another local ClickHouse?). Stop that process or choose another port.`
          : `Cannot listen on ${host}:${port}: ${error.message}`;
      reject(new Error(reason, { cause: error }));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stops taking requests, lets the ones already accepted finish, then releases chDB. */
async function shutDown(
  context: ServerContext,
  server: http.Server,
  sessions: SessionRegistry,
  answering: Set<Promise<void>>,
): Promise<void> {
  context.closing = true;
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.race([Promise.allSettled([...answering]), delay(SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
  server.closeAllConnections();
  await stopped;
  await context.engine.exclusive(async () => sessions.closeAll());
  await context.engine.close();
  servedDataDirs.delete(context.engine.dataDir);
}

async function handle(context: ServerContext, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const method = request.method ?? "GET";
  if (isHealthCheck(method, url)) return sendPlain(response, 200, "Ok.\n", method === "HEAD");
  if (url.pathname !== "/") return sendPlain(response, 404, `There is no handle ${url.pathname}\n\nUse / or /ping for health checks.\n`);
  const queryId = url.searchParams.get("query_id") || randomUUID();
  const headers = baseHeaders(queryId, url.searchParams.get("add_http_cors_header") === "1");
  try {
    if (context.closing) throw shuttingDown();
    const user = authenticate(request.headers, url, context.users);
    const body = await readBody(request, context.maxBodyBytes);
    const { request: query, response: options } = parseRequest(method, url, request.headers, body);
    query.user = user;
    if (context.closing) throw shuttingDown();
    const outcome = context.access && isAccessStatement(query.sql.toString("utf8")) ? manageAccess(context.access, query) : await context.executor.execute(query);
    await sendOutcome(request, response, headers, outcome, options);
  } catch (error) {
    const exception = fromEngineError(error);
    context.log(`query ${queryId} failed: Code: ${exception.code} (${exception.type}) ${exception.message.split("\n")[0]}`);
    sendException(request, response, headers, exception, context.engine.version);
  }
}

function manageAccess(access: AccessManagement, query: ClickHouseRequest): QueryOutcome {
  access.apply(query.user, query.sql.toString("utf8"));
  const summary = { readRows: 0, readBytes: 0, writtenRows: 0, writtenBytes: 0, totalRowsToRead: 0, resultRows: 0, resultBytes: 0, elapsedNs: 0n };
  return { body: Buffer.alloc(0), format: query.defaultFormat, summary };
}

function isHealthCheck(method: string, url: URL): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return url.pathname === "/ping" || (url.pathname === "/" && !url.searchParams.has("query"));
}

function shuttingDown(): ClickHouseException {
  return clickHouseError("ABORTED", "The local ClickHouse server is shutting down");
}

function baseHeaders(queryId: string, cors: boolean): Record<string, string> {
  return {
    "X-ClickHouse-Query-Id": queryId,
    "X-ClickHouse-Timezone": TIMEZONE,
    ...(cors ? { "Access-Control-Allow-Origin": "*" } : {}),
  };
}

function sendPlain(response: http.ServerResponse, status: number, text: string, headOnly = false): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=UTF-8", "Content-Length": Buffer.byteLength(text) });
  response.end(headOnly ? undefined : text);
}

async function sendOutcome(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  headers: Record<string, string>,
  outcome: QueryOutcome,
  options: ResponseOptions,
): Promise<void> {
  const encoding = options.compress ? acceptedEncoding(request.headers["accept-encoding"]) : undefined;
  const payload = encoding ? await compress(outcome.body, encoding, options.compressionLevel) : outcome.body;
  response.writeHead(200, {
    ...headers,
    "Content-Type": contentTypeOf(outcome.format),
    "X-ClickHouse-Format": outcome.format,
    "X-ClickHouse-Summary": summaryHeader(outcome.summary),
    ...(encoding ? { "Content-Encoding": encoding, Vary: "Accept-Encoding" } : {}),
    "Content-Length": payload.length,
  });
  response.end(request.method === "HEAD" ? undefined : payload);
}

function summaryHeader(summary: QuerySummary): string {
  return JSON.stringify({
    read_rows: String(summary.readRows),
    read_bytes: String(summary.readBytes),
    written_rows: String(summary.writtenRows),
    written_bytes: String(summary.writtenBytes),
    total_rows_to_read: String(summary.totalRowsToRead),
    result_rows: String(summary.resultRows),
    result_bytes: String(summary.resultBytes),
    elapsed_ns: String(summary.elapsedNs),
  });
}

type ResponseEncoding = "gzip" | "deflate" | "br";

function acceptedEncoding(accept: string | undefined): ResponseEncoding | undefined {
  const offered = (accept ?? "").toLowerCase().split(",").map((entry) => entry.split(";")[0]?.trim());
  return (["gzip", "br", "deflate"] as const).find((encoding) => offered.includes(encoding));
}

function compress(body: Buffer, encoding: ResponseEncoding, level: number): Promise<Buffer> {
  const zlibLevel = Number.isInteger(level) && level >= 1 && level <= 9 ? level : 3;
  if (encoding === "gzip") return promisify(zlib.gzip)(body, { level: zlibLevel });
  if (encoding === "deflate") return promisify(zlib.deflate)(body, { level: zlibLevel });
  return promisify(zlib.brotliCompress)(body);
}

function sendException(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  headers: Record<string, string>,
  exception: ClickHouseException,
  version: string,
): void {
  const text = exceptionText(exception, version);
  if (!request.complete) request.resume();
  response.writeHead(httpStatusOf(exception), {
    ...headers,
    "Content-Type": "text/plain; charset=UTF-8",
    "X-ClickHouse-Exception-Code": String(exception.code),
    "Content-Length": Buffer.byteLength(text),
    ...(request.complete ? {} : { Connection: "close" }),
  });
  response.end(text);
}
