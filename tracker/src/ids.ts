/** 128 random bits as four decimal numbers joined by "_": a valid Hit token of 7 to 43 characters, in practice always 8+. */
export const randomId = (): string => crypto.getRandomValues(new Uint32Array(4)).join("_");
