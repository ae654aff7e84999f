/** Small statistics over samples: percentiles of latencies, summaries of repetitions. */

/** Parameters of {@link percentile}. */
export interface PercentileParams {
  /** Samples in any order; left untouched. */
  readonly samples: readonly number[];
  /** 0–100. */
  readonly p: number;
}

/** The p-th percentile by the nearest-rank method; NaN for no samples. */
export function percentile(params: PercentileParams): number {
  const { samples, p } = params;
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The middle, lowest and highest of a figure's repetitions. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Parameters of {@link spreadOf}. */
export interface SpreadOfParams {
  readonly values: readonly number[];
}

/** Median (mean of the middle two for an even count), minimum and maximum; null for no values. */
export function spreadOf(params: SpreadOfParams): Spread | null {
  const values = params.values.filter((value) => Number.isFinite(value));
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, count: sorted.length };
}
