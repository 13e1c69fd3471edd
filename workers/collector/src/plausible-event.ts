import * as v from "valibot";
import type { CollectorEnv } from "./env";
import { readJson, validateHits, type HitsResult } from "./hits";

/** Plausible's Events API path (`POST /api/event`), served under the collector's base path. */
export const PLAUSIBLE_EVENT_PATH = "/api/event";

/**
 * Plausible's event body, in its documented long keys or the short ones its tracker sends. `revenue` ($) becomes the hit's
 * revenue, checked as the wire format checks it; `interactive` (i), `hashMode` (h) and the tracker's version (v) are
 * accepted and not stored: the hit wire format has no place for them.
 */
const PlausibleEvent = v.looseObject({
  name: v.optional(v.string()),
  n: v.optional(v.string()),
  url: v.optional(v.string()),
  u: v.optional(v.string()),
  domain: v.optional(v.string()),
  d: v.optional(v.string()),
  referrer: v.optional(v.nullable(v.string())),
  r: v.optional(v.nullable(v.string())),
  props: v.optional(v.unknown()),
  p: v.optional(v.unknown()),
  meta: v.optional(v.unknown()),
  m: v.optional(v.unknown()),
  revenue: v.optional(v.unknown()),
  $: v.optional(v.unknown()),
});

const KNOWN_KEYS = new Set(["name", "n", "url", "u", "domain", "d", "referrer", "r", "props", "p", "meta", "m", "revenue", "$", "interactive", "i", "h", "v"]);

/** A Plausible Events API body as one hit of Pixel's wire format, checked exactly as pixel.js hits are. */
export async function readPlausibleEvent(request: Request): Promise<HitsResult> {
  const read = await readJson(request);
  if (!read.ok) return read;
  const parsed = v.safeParse(PlausibleEvent, read.body);
  if (!parsed.success || Array.isArray(read.body)) return { ok: false, status: 400, error: notAnEvent(parsed.issues?.[0]) };
  const event = parsed.output;
  const unknown = Object.keys(event).find((key) => !KNOWN_KEYS.has(key));
  if (unknown) return { ok: false, status: 400, error: `${unknown}: not a field of Plausible's Events API` };
  if (!(event.domain ?? event.d)) return { ok: false, status: 400, error: "domain: required, the site's domain as Plausible names it" };
  const props = propsOf(event.props ?? event.p ?? event.meta ?? event.m);
  if (props === undefined) return { ok: false, status: 400, error: "props: must be an object of key-value pairs (or that object as a JSON string)" };
  const referrer = event.referrer ?? event.r;
  const revenue = event.revenue ?? event.$;
  return validateHits({
    id: crypto.randomUUID().replaceAll("-", ""),
    name: event.name ?? event.n,
    url: event.url ?? event.u,
    ...(referrer && { referrer }),
    ...(props && Object.keys(props).length > 0 && { props }),
    ...(revenue != null && { revenue }),
  });
}

function notAnEvent(issue: v.BaseIssue<unknown> | undefined): string {
  const path = issue && v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : "body must be a Plausible event object: {name, url, domain, referrer?, props?}";
}

/** Plausible's tracker sent props as a JSON string before it sent an object; `null` means none. */
function propsOf(value: unknown): Record<string, unknown> | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  try {
    return propsOf(JSON.parse(value) as unknown) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Plausible asks server-side senders to pass the visitor's IP in X-Forwarded-For. Anyone can write that header, so the
 * collector believes it only from the senders its operator lists in PIXEL_TRUSTED_SENDERS (their own IPs, as Cloudflare
 * sees them in CF-Connecting-IP); from anyone else the visitor is the connecting address, as for every hit.
 */
export function visitorRequest(request: Request, env: CollectorEnv): Request {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const sender = request.headers.get("cf-connecting-ip") ?? "";
  if (!forwarded || !isIp(forwarded) || !trustedSenders(env).has(sender)) return request;
  const headers = new Headers(request.headers);
  headers.set("cf-connecting-ip", forwarded);
  return new Request(request.url, { method: request.method, headers, cf: request.cf } as RequestInit);
}

const trustedSenders = (env: CollectorEnv) => new Set((env.PIXEL_TRUSTED_SENDERS ?? "").split(",").map((ip) => ip.trim()).filter(Boolean));
const isIp = (value: string) => /^(\d{1,3}\.){3}\d{1,3}$/.test(value) || (/^[0-9a-f:]+$/i.test(value) && value.includes(":"));
