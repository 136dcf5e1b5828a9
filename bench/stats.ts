/** Summary statistics over repeated measurements. */

export interface Summary {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  readonly samples: number;
}

/** Median, 95th percentile (nearest rank) and maximum of `values`. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  return { median, p95, max: sorted[sorted.length - 1], samples: sorted.length };
}

/** Summary of the values, or undefined when some value is missing (e.g. no /usr/bin/time). */
export function summarizeIfAll(values: readonly (number | undefined)[]): Summary | undefined {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length === values.length && present.length > 0 ? summarize(present) : undefined;
}

/** Ratio of the medians, or undefined when either side is missing. */
export function medianRatio(numerator: Summary | undefined, denominator: Summary | undefined): number | undefined {
  return numerator && denominator ? numerator.median / denominator.median : undefined;
}

/** Milliseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function millisecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A ratio as the report prints it (`1.23×`), or `-` when it was not measured. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '-' : `${ratio.toFixed(2)}×`;
}
