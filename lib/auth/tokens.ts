/** Tokens: a readable kind prefix (key, share link, session cookie, sign-in challenge, password reset, invitation), then 32 random bytes; only a hash of them is stored. */
export type TokenKind = "pxk" | "pxs" | "pxc" | "pxf" | "pxr" | "pxi";

export function randomToken(kind: TokenKind): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${kind}_${toHex(bytes)}`;
}

/** What randomToken makes of a kind, for checking a token before any lookup. */
export const tokenPattern = (kind: TokenKind) => new RegExp(`^${kind}_[0-9a-f]{64}$`);

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/** A keyed hash: lets us count by a value (an IP) without storing it or making it guessable offline. */
export async function hmacHex(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text))));
}

const toHex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
