/**
 * One JSON line per event, `{level, message, worker, requestId, ...fields}`, so Workers Logs (and any log
 * drain) can filter by level, Worker and request. Fields never carry IPs, query strings or bodies.
 */
export type Level = "info" | "warn" | "error";
export type Fields = Record<string, unknown>;

export interface Logger {
  readonly worker: string;
  readonly requestId: string;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

const WRITERS: Record<Level, (line: string) => void> = {
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

export function createLogger(worker: string, requestId: string = newRequestId()): Logger {
  const write = (level: Level) => (message: string, fields: Fields = {}) => {
    const line: Fields = { level, message, worker, requestId };
    for (const [key, value] of Object.entries(fields)) if (!(key in line)) line[key] = value;
    WRITERS[level](JSON.stringify(line));
  };
  return { worker, requestId, info: write("info"), warn: write("warn"), error: write("error") };
}

export const newRequestId = () => crypto.randomUUID();

/** Cloudflare's own ray id, else a caller's `x-request-id` when it looks like an id, else a fresh one. */
export function requestIdFrom(headers: Headers): string {
  for (const name of ["cf-ray", "x-request-id"]) {
    const value = headers.get(name)?.trim();
    if (value && /^[\w.:-]{1,128}$/.test(value)) return value;
  }
  return newRequestId();
}

/**
 * What to log about an error. ClickHouse errors (`ClickHouseError` of @clickhouse/client-web: a numeric
 * `code` and a `type` such as UNKNOWN_DATABASE) keep both, so alerts can match on them.
 */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { error: scrub(String(error)).slice(0, 500) };
  const fields: Fields = { error: scrub(error.message).slice(0, 500) };
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === "string" && /^\d+$/.test(code)) {
    fields.clickhouse_code = code;
    if (typeof type === "string") fields.clickhouse_type = type;
  }
  return fields;
}

/** Error text without URLs (they can carry credentials or tokens) or IPv4 addresses. */
export function scrub(text: string): string {
  return text
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]*/gi, "<url>")
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<address>");
}
