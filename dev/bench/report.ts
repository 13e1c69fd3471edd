import { loadavg } from "node:os";

/** One measured figure: a row of docs/benchmarks.md. */
export interface BenchRow {
  area: string;
  measure: string;
  value: string;
  /** What it should be, e.g. "≤ 2048 B" or "≥ 0.8× forwarder"; empty when it is only recorded. */
  target?: string;
  /** Whether the value meets the target; undefined when there is none. */
  met?: boolean;
  note?: string;
}

/** A benchmark module in dev/bench: `export default` a function that measures and returns its rows. */
export type Benchmark = (progress: (message: string) => void) => Promise<BenchRow[]>;

/** The machine's one-minute load average, for a timed row's note: figures from a shared, busy machine say so. */
export const loadAverage = () => `load average ${loadavg()[0]!.toFixed(1)}`;
