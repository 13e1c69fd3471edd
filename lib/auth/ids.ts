const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A random id for users and sites: 16 characters of [0-9a-z], about 82 bits. */
export function randomId(length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join("");
}
