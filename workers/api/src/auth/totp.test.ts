import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchingStep, otpauthUri, stepAt, totpAt } from "./totp";

describe("TOTP", () => {
  // RFC 6238 Appendix B, the SHA-1 rows: the seed is the ASCII of "12345678901234567890", codes have 8 digits.
  const seed = new Uint8Array(new TextEncoder().encode("12345678901234567890"));
  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("gives RFC 6238's code at T = %i s", async (seconds, code) => {
    expect(await hotp(seed, stepAt(seconds * 1000), 8)).toBe(code);
  });

  it("reads base32 as authenticator apps write it", () => {
    const secret = base32Encode(seed);
    expect(secret).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode(secret.toLowerCase())).toEqual(seed);
    expect(() => base32Decode("ABC1")).toThrow("not base32");
  });

  it("accepts one step of drift either way, nothing older than the last step used, and only 6 digits", async () => {
    const secret = base32Encode(seed);
    const now = 1111111111_000;
    const step = stepAt(now);
    for (const drift of [-1, 0, 1]) expect(await matchingStep(secret, await totpAt(secret, now + drift * 30_000), now, 0)).toBe(step + drift);
    expect(await matchingStep(secret, await totpAt(secret, now + 60_000), now, 0)).toBeUndefined();
    expect(await matchingStep(secret, await totpAt(secret, now), now, step)).toBeUndefined();
    expect(await matchingStep(secret, "14050471", now, 0)).toBeUndefined();
  });

  it("writes the otpauth URI authenticator apps scan", () => {
    expect(otpauthUri("JBSWY3DPEHPK3PXP", "ana@pixel.test")).toBe(
      "otpauth://totp/Pixel:ana%40pixel.test?secret=JBSWY3DPEHPK3PXP&issuer=Pixel&algorithm=SHA1&digits=6&period=30",
    );
  });
});
