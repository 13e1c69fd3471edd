/** TOTP (RFC 6238) over HMAC-SHA1, as every authenticator app speaks it: 30-second steps, 6 digits. */
export const TOTP = { stepSeconds: 30, digits: 6, secretBytes: 20 } as const;
/** Steps either side of now a code may come from, for a phone clock that is a little off. */
const DRIFT_STEPS = 1;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

export function base32Decode(text: string): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/[\s=]/g, "")) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes);
}

/** HOTP (RFC 4226): the code for one counter value. */
export async function hotp(key: Uint8Array<ArrayBuffer>, counter: number, digits: number = TOTP.digits): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const hmacKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, message));
  const offset = mac[mac.length - 1]! & 15;
  const binary = new DataView(mac.buffer).getUint32(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** What an authenticator shows: exactly 6 digits. */
export const isTotpCode = (code: string) => code.length === TOTP.digits && /^\d+$/.test(code);

export const stepAt = (ms: number) => Math.floor(ms / 1000 / TOTP.stepSeconds);

/** The code an authenticator shows at `ms` for a base32 secret. */
export const totpAt = (secret: string, ms: number) => hotp(base32Decode(secret), stepAt(ms));

/**
 * The step whose code this is, within the drift window and after `lastStep` (a code once used is refused, and so is
 * any older one), or undefined.
 */
export async function matchingStep(secret: string, code: string, now: number, lastStep: number): Promise<number | undefined> {
  if (!isTotpCode(code)) return undefined;
  const key = base32Decode(secret);
  const current = stepAt(now);
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    if (step > lastStep && (await hotp(key, step)) === code) return step;
  }
  return undefined;
}

export const newTotpSecret = () => base32Encode(crypto.getRandomValues(new Uint8Array(TOTP.secretBytes)));

/** What an authenticator app scans: the Key URI Format that Google Authenticator defined and the others follow. */
export function otpauthUri(secret: string, account: string, issuer = "Pixel"): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({ secret, issuer, algorithm: "SHA1", digits: String(TOTP.digits), period: String(TOTP.stepSeconds) });
  return `otpauth://totp/${label}?${params}`;
}
