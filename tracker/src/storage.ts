/**
 * Reads a localStorage key, or writes it when a value is given. Storage throws in some private modes,
 * sandboxed frames and when full: then nothing is kept beyond the page.
 */
export function stored(key: string, value?: string): string | undefined {
  try {
    return value ? (localStorage["pixel_" + key] = value) : localStorage["pixel_" + key];
  } catch {}
}
