import * as v from "valibot";
import { HitBatchSchema, LIMITS, Revenue, type Hit } from "@pixel/lib/events/hit";

/** Without `stream`, every decode starts afresh: one decoder serves all requests. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Valid hits come with their parsed page URLs and, per hit, the revenue field that was wrong (`amount`, `currency`, or
 * `""` for a revenue that is no object) when the hit's revenue was left out; a refusal may name a `detail` for its drop count.
 */
export type HitsResult =
  | { ok: true; hits: Hit[]; urls: URL[]; revenueLeftOut: (string | undefined)[] }
  | { ok: false; status: 400 | 413; error: string; detail?: string };

type Refusal = Extract<HitsResult, { ok: false }>;

/** Reads a request body (JSON, also sent as text/plain) into validated hits, or says what is wrong with it. */
export async function readHits(request: Request): Promise<HitsResult> {
  const read = await readJson(request);
  return read.ok ? validateHits(read.body) : read;
}

/** A request body (JSON, also sent as text/plain) within the size limit, parsed; or why it can't be. */
export async function readJson(request: Request): Promise<{ ok: true; body: unknown } | Refusal> {
  const declared = request.headers.get("content-length");
  if (Number(declared) > LIMITS.bodyBytes) return tooLarge();
  const bytes = declared === null ? await readCapped(request.body, LIMITS.bodyBytes) : new Uint8Array(await request.arrayBuffer());
  if (!bytes || bytes.byteLength > LIMITS.bodyBytes) return tooLarge();
  try {
    return { ok: true, body: parseJson(UTF8.decode(bytes)) };
  } catch (error) {
    if (error instanceof ForbiddenKeyError) return refused(error.message);
    return refused("body is not valid UTF-8 JSON");
  }
}

const refused = (error: string): Refusal => ({ ok: false, status: 400, error });

/** A body of unknown length (chunked), read until it ends or passes `cap` bytes: then the rest is never read. */
async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(read.value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** One hit or a batch of them, checked against the wire format (lib/events/hit.ts). */
export function validateHits(body: unknown): HitsResult {
  const { kept, revenueLeftOut } = withoutWrongRevenue(body);
  const parsed = v.safeParse(HitBatchSchema, kept);
  if (!parsed.success) return { ok: false, status: 400, error: describe(parsed.issues) };
  const hits = Array.isArray(parsed.output) ? parsed.output : [parsed.output];
  const urls = hits.map((hit) => new URL(hit.url));
  const hostnames = hostnameCount(urls);
  if (hostnames > LIMITS.hostnamesPerRequest) {
    const error = `hits name ${hostnames} hostnames; one request takes hits for at most ${LIMITS.hostnamesPerRequest}`;
    return { ok: false, status: 400, error, detail: "hostnames" };
  }
  return { ok: true, hits, urls, revenueLeftOut };
}

/**
 * A wrong revenue costs the hit only its revenue (as in Plausible): the event is what was counted. The tracker leaves
 * revenue unchecked to stay small, so this is where it is checked.
 */
function withoutWrongRevenue(body: unknown): { kept: unknown; revenueLeftOut: (string | undefined)[] } {
  const hits = Array.isArray(body) ? body : [body];
  const revenueLeftOut = hits.map(wrongRevenueField);
  if (!revenueLeftOut.some((field) => field !== undefined)) return { kept: body, revenueLeftOut };
  const kept = hits.map((hit, i) => (revenueLeftOut[i] === undefined ? hit : { ...(hit as object), revenue: undefined }));
  return { kept: Array.isArray(body) ? kept : kept[0], revenueLeftOut };
}

function wrongRevenueField(hit: unknown): string | undefined {
  const revenue = typeof hit === "object" && hit !== null ? (hit as { revenue?: unknown }).revenue : undefined;
  if (revenue === undefined) return undefined;
  const parsed = v.safeParse(Revenue, revenue);
  return parsed.success ? undefined : (v.getDotPath(parsed.issues[0]) ?? "");
}

/** Distinct hostnames, `www.` aside; with no more hits than the limit, the hit count stands in (it can't be over). */
function hostnameCount(urls: URL[]): number {
  if (urls.length <= LIMITS.hostnamesPerRequest) return urls.length;
  return new Set(urls.map((url) => url.hostname.replace(/^www\./, ""))).size;
}

/** Short query parameter names of the GIF pixel, for hand-written `<img>` tags and e-mails. */
const PIXEL_PARAMS: Record<string, keyof Hit> = { id: "id", n: "name", u: "url", r: "referrer", t: "title", w: "screen_width", s: "session_id" };

/**
 * A hit from the GIF pixel's query string: `n` (name, default pageview), `u` (page URL, default the
 * Referer), `r`, `t`, `w`, `s`, `id`, and `p.<key>` for props. Without `id` the hit gets a random one.
 */
export function readPixel(params: URLSearchParams, referer: string | null): HitsResult {
  const fields: Record<string, unknown> = { id: crypto.randomUUID().replaceAll("-", ""), name: "pageview" };
  if (referer) fields.url = referer;
  const props: [string, string][] = [];
  for (const [key, value] of params) {
    const field = Object.hasOwn(PIXEL_PARAMS, key) ? PIXEL_PARAMS[key] : undefined;
    if (key.startsWith("p.") && isForbiddenKey(key.slice(2))) return { ok: false, status: 400, error: forbidden(key.slice(2)) };
    if (key.startsWith("p.")) props.push([key.slice(2), value]);
    else if (field) fields[field] = field === "screen_width" ? Number(value) : value;
    else return { ok: false, status: 400, error: `${key}: unknown parameter; use n, u, r, t, w, s, id or p.<prop>` };
  }
  if (props.length) fields.props = Object.fromEntries(props);
  if (!fields.url) return { ok: false, status: 400, error: "u: the page URL is required when there is no Referer" };
  return validateHits(fields);
}

class ForbiddenKeyError extends Error {}
const isForbiddenKey = (key: string) => key === "__proto__" || key === "constructor" || key === "prototype";
const forbidden = (key: string) => `the key "${key}" is not allowed anywhere in a hit`;
const FORBIDDEN_KEY = /"(__proto__|constructor|prototype)"\s*:/;

/** JSON.parse keeps "__proto__" as a plain key and schemas silently drop it; refuse it out loud instead. */
function parseJson(text: string): unknown {
  if (!FORBIDDEN_KEY.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value) => {
    if (isForbiddenKey(key)) throw new ForbiddenKeyError(forbidden(key));
    return value;
  });
}

const tooLarge = (): Refusal => ({ ok: false, status: 413, error: `body is larger than ${LIMITS.bodyBytes} bytes; send fewer hits per request` });

/** The deepest issue names the field, e.g. `[0].props.plan: at most 500 characters`. */
function describe(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const issue = deepest(issues[0]);
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : issue.message;
}

function deepest(issue: v.BaseIssue<unknown>): v.BaseIssue<unknown> {
  const candidates = (issue.issues ?? []).map(deepest).filter((inner) => inner.path?.length);
  // Of a union's branches, the one that got furthest into the body is the one the sender meant.
  return candidates.reduce<v.BaseIssue<unknown>>((best, inner) => (inner.path!.length > (best.path?.length ?? 0) ? inner : best), issue);
}
