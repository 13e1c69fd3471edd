import { pathOf } from "../http/path";
import { createLogger, errorFields, requestIdFrom, type Logger } from "./log";

export type FetchHandler<Env> = (request: Request, env: Env, ctx?: ExecutionContext) => Response | Promise<Response>;

const loggers = new WeakMap<Request, Logger>();

/** The logger of the request being answered (its request id), or a fresh one outside `withRequestLog`. */
export function logFor(request: Request, worker: string): Logger {
  return loggers.get(request) ?? createLogger(worker, requestIdFrom(request.headers));
}

/** The path without its query string, and without segments that can be secrets or personal: bearer tokens in share links (long), emails. */
export function loggablePath(url: string): string {
  return pathOf(url)
    .split("/")
    .map((segment) => (segment.length >= 32 || segment.includes("@") || segment.includes("%40") ? "<redacted>" : segment))
    .join("/");
}

/** Answers that get no access line, e.g. the collector's accepted hits. */
export type Unlogged = (request: Request, status: number) => boolean;

/**
 * Gives every request an id (echoed as `X-Request-Id`) and writes one access line for it: method, path
 * without the query string (see loggablePath), status and duration. Never the IP, the query string or the body.
 * `unlogged` answers keep their id but get no line; errors are always logged.
 */
export function withRequestLog<Env>(worker: string, handle: FetchHandler<Env>, unlogged: Unlogged = () => false): FetchHandler<Env> {
  return async (request, env, ctx) => {
    const started = Date.now();
    const log = createLogger(worker, requestIdFrom(request.headers));
    loggers.set(request, log);
    let response: Response;
    try {
      response = await handle(request, env, ctx);
    } catch (error) {
      log.error("unhandled error", errorFields(error));
      response = Response.json({ error: `the ${worker} failed to answer; try again` }, { status: 500 });
    }
    const answered = withHeader(response, "X-Request-Id", log.requestId);
    if (unlogged(request, answered.status)) return answered;
    const fields = { method: request.method, path: loggablePath(request.url), status: answered.status, duration_ms: Date.now() - started };
    log[answered.status >= 500 ? "warn" : "info"]("request", fields);
    return answered;
  };
}

/** The Worker's own responses take the header as they are; one from fetch() or a cache has immutable headers and is copied. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
