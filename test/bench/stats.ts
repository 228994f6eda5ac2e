/** Latency samples and the figures the report prints. */

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests per second over the whole measured run (one at a time). */
  rate: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(samplesMs: readonly number[], elapsedMs: number): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    rate: sorted.length / (elapsedMs / 1000),
  };
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
