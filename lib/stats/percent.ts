/** Percent with two decimals: the one rounding the reports (funnels, retention, scroll depth) and their ground truth share. */
export const percentOf = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100);
