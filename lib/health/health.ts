import { scrub } from "../log/log";

/**
 * The health answer every Worker gives: each dependency checked at once, each bounded by a timeout, and
 * a short reason for each failure that never carries a URL, an address or a secret.
 */
export type Check = (signal: AbortSignal) => Promise<unknown>;

export interface HealthReport {
  ok: boolean;
  checks: Record<string, string>;
}

export const CHECK_TIMEOUT_MS = 3000;

export async function checkHealth(checks: Record<string, Check>, timeoutMs = CHECK_TIMEOUT_MS): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runCheck(checks[name]!, timeoutMs)));
  return { ok: results.every((result) => result === "ok"), checks: Object.fromEntries(names.map((name, i) => [name, results[i]!])) };
}

export function healthResponse(report: HealthReport): Response {
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}

async function runCheck(check: Check, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimeout(timeoutMs));
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timeout]);
    return "ok";
  } catch (error) {
    return `failed: ${shortReason(error)}`;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** ClickHouse errors by code and name only (their text can quote users or queries); others scrubbed of URLs and addresses. */
export function shortReason(error: unknown): string {
  const { code, type } = (error ?? {}) as { code?: unknown; type?: unknown };
  if (typeof code === "string" && /^\d+$/.test(code)) return `ClickHouse error ${code}${typeof type === "string" ? ` (${type})` : ""}`;
  const message = error instanceof Error ? error.message : String(error);
  const scrubbed = scrub(message).replace(/\s+/g, " ").trim();
  return (scrubbed || "unknown error").slice(0, 120);
}

/** No binding the Worker cannot run without is missing (its wrangler config names them): `missing` lists those that are. */
export function bindingsBound(missing: string[]): Check {
  return async () => {
    if (missing.length) throw new Error(`binding ${missing.join(", ")} is missing`);
  };
}

/** D1 answers a trivial query. */
export function d1Answers(db: D1Database | undefined): Check {
  return async () => {
    if (!db) throw new Error("binding DB is missing");
    await db.prepare("select 1").first();
  };
}
