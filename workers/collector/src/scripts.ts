import type { ServedScript } from "@pixel/tracker/dist/pixel-script";

type Encoding = "br" | "gzip" | "identity";

/**
 * pixel.js and its extra scripts, compressed at build time (tracker/build.ts): the collector picks the
 * encoding the browser accepts and sends those bytes as they are, so serving costs no compression CPU.
 * With validators (pixel.js: returning.ts) the browser revalidates on every page load: `lastModified` and the
 * ETag's `tag` after the script's own carry what returning.ts reads back.
 */
export function serveScript(request: Request, script: ServedScript, validators?: { lastModified: string; tag: string }): Response {
  const encoding = encodingFor(request.headers.get("accept-encoding"));
  const lastModified = validators?.lastModified;
  const tag = validators?.tag ? `.${validators.tag}` : "";
  const etag = encoding === "identity" ? `"${script.hash}${tag}"` : `"${script.hash}-${encoding}${tag}"`;
  const headers: Record<string, string> = {
    "content-type": "application/javascript; charset=utf-8",
    "cache-control": lastModified ? "private, no-cache" : "public, max-age=3600, stale-while-revalidate=86400",
    etag,
    vary: "Accept-Encoding",
  };
  if (lastModified) headers["last-modified"] = lastModified;
  // A new validator goes with the whole script: it replaces the cached one for certain, where a 304 might not.
  const sameValidator = !lastModified || request.headers.get("if-modified-since") === lastModified;
  if (sameValidator && etagMatches(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  if (encoding === "identity") return new Response(script.js, { headers });
  headers["content-encoding"] = encoding;
  return new Response(compressed(script, encoding), { headers, encodeBody: "manual" });
}

/** Brotli, then gzip, when the browser accepts them (a `q=0` refuses); else the plain script. */
export function encodingFor(acceptEncoding: string | null): Encoding {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? "").toLowerCase().split(",")) {
    const [name, ...params] = part.split(";").map((piece) => piece.trim());
    const refused = params.some((param) => /^q=0(\.0*)?$/.test(param));
    if (name && !refused) accepted.add(name);
  }
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip") || accepted.has("*")) return "gzip";
  return "identity";
}

function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");
}

const decoded = new Map<string, Uint8Array>();

/** Decoded once per isolate and script. */
function compressed(script: ServedScript, encoding: "br" | "gzip"): Uint8Array {
  const key = `${script.hash}-${encoding}`;
  let bytes = decoded.get(key);
  if (!bytes) {
    bytes = Uint8Array.from(atob(script[encoding]), (char) => char.charCodeAt(0));
    decoded.set(key, bytes);
  }
  return bytes;
}
