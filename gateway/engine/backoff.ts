/**
 * Reconnect delays: exponential (250 ms, 500 ms, 1 s … capped at 10 s) with ±20 %
 * jitter, so several gateways (or devices behind one gateway) that lost a device at
 * the same moment do not knock on it again in lockstep.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay to spread randomly either way: 0.2 = ±20 %. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the base. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt++;
    const spread = base * jitter;
    return Math.round(Math.min(maxMs, Math.max(0, base - spread + this.random() * 2 * spread)));
  }

  /** After a successful connect the next failure starts from the shortest delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
