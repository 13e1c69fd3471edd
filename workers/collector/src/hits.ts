import * as v from "valibot";
import { HitBatchSchema, LIMITS, type Hit } from "../../../lib/events/hit";

export type HitsResult = { ok: true; hits: Hit[] } | { ok: false; status: 400 | 413; error: string };

/** Reads a request body (JSON, also sent as text/plain) into validated hits, or says what is wrong with it. */
export async function readHits(request: Request): Promise<HitsResult> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > LIMITS.bodyBytes) return tooLarge();
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > LIMITS.bodyBytes) return tooLarge();
  let body: unknown;
  try {
    body = parseJson(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (error) {
    if (error instanceof ForbiddenKeyError) return { ok: false, status: 400, error: error.message };
    return { ok: false, status: 400, error: "body is not valid UTF-8 JSON" };
  }
  const parsed = v.safeParse(HitBatchSchema, body);
  if (!parsed.success) return { ok: false, status: 400, error: describe(parsed.issues) };
  return { ok: true, hits: Array.isArray(parsed.output) ? parsed.output : [parsed.output] };
}

class ForbiddenKeyError extends Error {}
const FORBIDDEN_KEY = /"(__proto__|constructor|prototype)"\s*:/;

/** JSON.parse keeps "__proto__" as a plain key and schemas silently drop it; refuse it out loud instead. */
function parseJson(text: string): unknown {
  if (!FORBIDDEN_KEY.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value) => {
    if (key === "__proto__" || key === "constructor" || key === "prototype") {
      throw new ForbiddenKeyError(`the key "${key}" is not allowed anywhere in a hit`);
    }
    return value;
  });
}

const tooLarge = (): HitsResult => ({
  ok: false,
  status: 413,
  error: `body is larger than ${LIMITS.bodyBytes} bytes; send fewer hits per request`,
});

/** The deepest issue names the field, e.g. `[0].props.plan: at most 500 characters`. */
function describe(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const issue = deepest(issues[0]);
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : issue.message;
}

function deepest(issue: v.BaseIssue<unknown>): v.BaseIssue<unknown> {
  const nested = issue.issues?.find((inner) => inner.path?.length);
  return nested ? deepest(nested) : issue;
}
