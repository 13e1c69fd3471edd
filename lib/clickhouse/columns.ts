import * as v from "valibot";

// Validators for ClickHouse column types, as the table modules use them to check rows before an INSERT.

export const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
export const uint = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
export const uint64 = v.pipe(v.string(), v.check((value) => /^\d{1,20}$/.test(value) && BigInt(value) < 2n ** 64n, "must be a UInt64 in decimal"));
/** DateTime64(3) holds 1900–2299; Pixel only ever writes times near now. */
export const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Date.UTC(2200, 0, 1)));
export const lowCardinality = text(300);

