/**
 * Latency percentiles over the most recent requests: a fixed ring of samples, so
 * recording is O(1) on the reply path and the sort happens only when stats are read
 * (about once a second).
 */
import type { LatencyPercentiles } from '../api/proxies';

const DEFAULT_SAMPLES = 2048;

export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = DEFAULT_SAMPLES) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled++;
  }

  percentiles(): LatencyPercentiles {
    if (this.filled === 0) return { p50: null, p95: null, p99: null };
    const sorted = this.samples.slice(0, this.filled).sort();
    const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  }
}

/** Microsecond resolution is plenty for a channel message. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
