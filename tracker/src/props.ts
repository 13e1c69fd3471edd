import type { HitProps } from "../../lib/events/hit";

/** Keeps up to 30 flat string/number/boolean props within the collector's limits; nested values are dropped. */
export function cleanProps(input: unknown): HitProps | undefined {
  if (typeof input != "object") return;
  let props: HitProps | undefined;
  for (const [rawKey, value] of Object.entries(input || {}).slice(0, 30)) {
    const key = rawKey.slice(0, 64);
    const kept =
      typeof value == "string"
        ? value.slice(0, 500)
        : typeof value == "boolean" || Number.isFinite(value)
          ? (value as number | boolean)
          : null;
    if (kept != null && key && !/^(__proto__|constructor|prototype)$/.test(key)) (props ||= {})[key] = kept;
  }
  return props;
}
