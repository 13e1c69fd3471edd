const encoder = new TextEncoder();

/** The first 8 bytes of SHA-256 over the parts, as an unsigned 64-bit decimal string: how ids become UInt64 columns. */
export async function hash64(...parts: string[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(parts.join("\u0000")));
  return new DataView(digest).getBigUint64(0).toString();
}
