import type { HitProps } from "@pixel/lib/events/hit";

/**
 * Up to 30 flat string/number/boolean props within the collector's limits; nested and non-finite values,
 * and keys the collector refuses (`__proto__`, `constructor`, `prototype`) or an object inherits (`toString`, …), are dropped.
 */
export const cleanProps = (input: unknown): HitProps | undefined =>
  input
    ? Object.fromEntries(
        Object.entries(input)
          .slice(0, 30)
          .map(([key, value]) => [key.slice(0, 64), value.slice ? value.slice(0, 500) : value])
          .filter(([key, value]) => key && !(key in { prototype: 0 }) && (typeof value == "string" || (typeof value != "object" && isFinite(value)))),
      )
    : undefined;
