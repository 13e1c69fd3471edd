import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { LocalUser } from "@pixel/lib/clickhouse/node/users";
import { clickHouseError } from "./errors";
import type { ClickHouseRequest } from "./executor";

interface Credentials {
  user: string;
  password: string;
}

/** How the response should be sent; none of these are ClickHouse settings. */
export interface ResponseOptions {
  compress: boolean;
  compressionLevel: number;
}

const DEFAULT_SESSION_TIMEOUT_SECONDS = 60;
const MAX_SESSION_TIMEOUT_SECONDS = 3600;

// URL parameters the HTTP interface consumes itself (or that only shape the transfer);
// every other non-`param_` parameter is a setting for this one query.
const TRANSPORT_PARAMS = new Set([
  "query",
  "database",
  "default_format",
  "query_id",
  "session_id",
  "session_timeout",
  "session_check",
  "user",
  "password",
  "quota_key",
  "role",
  "compress",
  "decompress",
  "buffer_size",
  "wait_end_of_query",
  "http_wait_end_of_query",
  "send_progress_in_http_headers",
  "http_headers_progress_interval_ms",
  "enable_http_compression",
  "http_zlib_compression_level",
  "http_native_compression_disable_checksumming_on_decompress",
  "http_response_buffer_size",
  "add_http_cors_header",
  "cancel_http_readonly_queries_on_client_close",
  "client_protocol_version",
  "stacktrace",
]);

/** The user the request's credentials name, when the password matches; undefined when the server has no users. */
export function authenticate(headers: IncomingHttpHeaders, url: URL, users: Map<string, LocalUser> | undefined): LocalUser | undefined {
  if (!users) return undefined;
  const presented = presentedCredentials(headers, url);
  const user = users.get(presented.user);
  if (!sameSecret(presented.password, user?.password ?? "") || !user) {
    throw clickHouseError(
      "AUTHENTICATION_FAILED",
      `${presented.user}: Authentication failed: password is incorrect, or there is no user with such name`,
    );
  }
  return user;
}

function presentedCredentials(headers: IncomingHttpHeaders, url: URL): Credentials {
  const headerUser = single(headers["x-clickhouse-user"]);
  const headerKey = single(headers["x-clickhouse-key"]);
  if (headerUser !== undefined || headerKey !== undefined) return { user: headerUser ?? "default", password: headerKey ?? "" };
  const authorization = single(headers.authorization);
  if (authorization?.startsWith("Basic ")) {
    const decoded = Buffer.from(authorization.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon === -1 ? { user: decoded, password: "" } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { user: url.searchParams.get("user") ?? "default", password: url.searchParams.get("password") ?? "" };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the whole body, refusing more than `maxBytes` before or after decompression. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off("data", collect);
      request.resume();
      reject(bodyTooLarge(maxBytes));
    };
    request.on("data", collect);
    request.once("end", () => resolve(Buffer.concat(chunks)));
    request.once("error", reject);
  });
  return decompress(raw, single(request.headers["content-encoding"]), maxBytes);
}

function bodyTooLarge(maxBytes: number) {
  const mebibytes = Math.round((maxBytes / 1024 / 1024) * 100) / 100;
  return clickHouseError(
    "QUERY_IS_TOO_LARGE",
    `The request body exceeds the local ClickHouse server's limit of ${mebibytes} MiB; send the data in smaller batches`,
  );
}

const DECOMPRESSORS: Record<string, (data: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  "x-gzip": promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

async function decompress(body: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const name = encoding?.trim().toLowerCase();
  if (!name || name === "identity" || body.length === 0) return body;
  const decompressor = DECOMPRESSORS[name];
  if (!decompressor) {
    throw clickHouseError("UNKNOWN_COMPRESSION_METHOD", `Unsupported Content-Encoding '${name}': use gzip, deflate or br`);
  }
  try {
    return await decompressor(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw bodyTooLarge(maxBytes);
    throw clickHouseError("CANNOT_DECOMPRESS", `Cannot decompress the ${name} request body: ${(error as Error).message}`);
  }
}

/** Builds the query from the URL, headers and body following the rules of ClickHouse's HTTP handler. */
export function parseRequest(
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: Buffer,
): { request: ClickHouseRequest; response: ResponseOptions } {
  const form = multipartFields(headers, body);
  const fields = new Map([...url.searchParams, ...(form ?? [])]);
  refuseNativeCompression(fields);
  const queryText = fields.get("query") ?? "";
  const request: ClickHouseRequest = {
    method,
    sql: form ? Buffer.from(queryText) : joinQuery(queryText, body),
    queryParams: {},
    settings: new Map(),
    database: fields.get("database") || single(headers["x-clickhouse-database"]) || undefined,
    defaultFormat: fields.get("default_format") || single(headers["x-clickhouse-format"]) || "TabSeparated",
    session: sessionOf(fields),
  };
  for (const [name, value] of fields) {
    if (name.startsWith("param_")) request.queryParams[name.slice("param_".length)] = value;
    else if (!TRANSPORT_PARAMS.has(name)) request.settings.set(name, value);
  }
  const response = {
    compress: fields.get("enable_http_compression") === "1",
    compressionLevel: Number(fields.get("http_zlib_compression_level") ?? 3),
  };
  return { request, response };
}

/** The URL query and the body form one text, joined by a newline (an INSERT's data follows its FORMAT). */
function joinQuery(queryText: string, body: Buffer): Buffer {
  if (!queryText) return body;
  return Buffer.concat([Buffer.from(`${queryText}\n`), body]);
}

function refuseNativeCompression(fields: Map<string, string>): void {
  for (const name of ["compress", "decompress"]) {
    const value = fields.get(name);
    if (value && value !== "0" && value !== "false") {
      throw clickHouseError("NOT_IMPLEMENTED", `'${name}=${value}' (ClickHouse's native block compression) is not supported by the local server; use Content-Encoding or enable_http_compression`);
    }
  }
}

function sessionOf(fields: Map<string, string>): ClickHouseRequest["session"] {
  const id = fields.get("session_id");
  if (!id) return undefined;
  const timeoutText = fields.get("session_timeout");
  const timeoutSeconds = timeoutText === undefined ? DEFAULT_SESSION_TIMEOUT_SECONDS : Number(timeoutText);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > MAX_SESSION_TIMEOUT_SECONDS) {
    throw clickHouseError(
      "INVALID_SESSION_TIMEOUT",
      `Invalid session timeout '${timeoutText}': it must be a whole number of seconds up to ${MAX_SESSION_TIMEOUT_SECONDS}`,
    );
  }
  return { id, timeoutSeconds, mustExist: fields.get("session_check") === "1" };
}

/** The text fields of a multipart/form-data body (`query`, `param_*`, settings), or undefined. */
function multipartFields(headers: IncomingHttpHeaders, body: Buffer): Map<string, string> | undefined {
  const contentType = single(headers["content-type"]) ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) return undefined;
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const delimiter = boundary?.[1] ?? boundary?.[2];
  if (!delimiter) throw clickHouseError("BAD_ARGUMENTS", "multipart/form-data request without a boundary");
  const fields = new Map<string, string>();
  for (const part of multipartParts(body, delimiter)) {
    const headerEnd = part.indexOf("\r\n\r\n");
    const partHeaders = part.toString("utf8", 0, Math.max(0, headerEnd));
    const name = /name="([^"]*)"/i.exec(partHeaders)?.[1];
    if (headerEnd === -1 || name === undefined) throw clickHouseError("BAD_ARGUMENTS", "Malformed multipart/form-data part");
    if (/filename=/i.test(partHeaders)) {
      throw clickHouseError("NOT_IMPLEMENTED", `External data (the file part '${name}') is not supported by the local server`);
    }
    fields.set(name, part.toString("utf8", headerEnd + 4));
  }
  return fields;
}

function multipartParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const start = position + delimiter.length;
    if (body.toString("latin1", start, start + 2) === "--") break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), start);
    if (next === -1) throw clickHouseError("BAD_ARGUMENTS", "Unterminated multipart/form-data body");
    parts.push(body.subarray(body.toString("latin1", start, start + 2) === "\r\n" ? start + 2 : start, next));
    position = next + 2;
  }
  return parts;
}
