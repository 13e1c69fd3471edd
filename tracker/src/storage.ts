type Area = "localStorage" | "sessionStorage";

// Storage throws in some private modes and sandboxed frames: then nothing is kept beyond the page.
export function read(key: string, area: Area = "localStorage"): string | null | undefined {
  try {
    return window[area].getItem("pixel_" + key);
  } catch {}
}

export function write(key: string, value: string, area: Area = "localStorage"): void {
  try {
    window[area].setItem("pixel_" + key, value);
  } catch {}
}
