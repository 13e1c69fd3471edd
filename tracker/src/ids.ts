/** 20 characters of [0-9a-v]: 100 random bits, valid as a Hit token. */
export const randomId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => (byte & 31).toString(32)).join("");
