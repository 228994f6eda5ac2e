/**
 * A client guessing tokens: after a few wrong tokens from one address within a
 * minute, that address is refused outright (429, the token not even compared) for
 * a while, doubling with each repeat. Guesses then cost the guesser time, and the
 * log gets one line per lockout instead of one per guess. Only for a channel meant
 * for other machines (TLS or off loopback): on the editor's own loopback channel
 * every local process shares 127.0.0.1, and one of them could lock the editor out.
 */

export interface GuessLimits {
  /** Wrong tokens from one address, within `windowMs`, that start a lockout. */
  failures: number;
  windowMs: number;
  /** The first lockout; each one after it (before the address has behaved for a whole window) doubles, up to `maxLockoutMs`. */
  lockoutMs: number;
  maxLockoutMs: number;
  /** Addresses remembered at most (the oldest forgotten first), so a flood of sources cannot grow memory without bound. */
  maxAddresses: number;
}

export const DEFAULT_GUESS_LIMITS: GuessLimits = {
  failures: 5,
  windowMs: 60_000,
  lockoutMs: 60_000,
  maxLockoutMs: 60 * 60_000,
  maxAddresses: 10_000,
};

interface Record {
  /** Times of the wrong tokens within the window. */
  failures: number[];
  lockedUntil: number;
  /** The length of the last lockout, for the doubling. */
  lastLockoutMs: number;
}

export type GuessVerdict = { locked: false } | { locked: true; retryAfterMs: number };

export class TokenGuessLimiter {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly limits: GuessLimits = DEFAULT_GUESS_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `address` is locked out now (check before comparing its token). */
  check(address: string): GuessVerdict {
    const record = this.records.get(address);
    const now = this.now();
    if (record === undefined || record.lockedUntil <= now) return { locked: false };
    return { locked: true, retryAfterMs: record.lockedUntil - now };
  }

  /** A wrong token from `address`; returns the lockout it started, if it started one. */
  failed(address: string): { lockoutMs: number } | undefined {
    const now = this.now();
    let record = this.records.get(address);
    if (record === undefined) {
      this.forgetOldest();
      record = { failures: [], lockedUntil: 0, lastLockoutMs: 0 };
    }
    // Re-inserted so the map's order is the order of last activity.
    this.records.delete(address);
    this.records.set(address, record);
    record.failures = record.failures.filter((at) => now - at < this.limits.windowMs);
    record.failures.push(now);
    if (record.failures.length < this.limits.failures) return undefined;
    const calmSinceLast = now - record.lockedUntil >= this.limits.windowMs;
    const lockoutMs = record.lastLockoutMs === 0 || calmSinceLast ? this.limits.lockoutMs : Math.min(record.lastLockoutMs * 2, this.limits.maxLockoutMs);
    record.lockedUntil = now + lockoutMs;
    record.lastLockoutMs = lockoutMs;
    record.failures = [];
    return { lockoutMs };
  }

  /** The right token: the address's past mistakes are forgiven. */
  succeeded(address: string): void {
    this.records.delete(address);
  }

  get trackedAddresses(): number {
    return this.records.size;
  }

  private forgetOldest(): void {
    while (this.records.size >= this.limits.maxAddresses) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) return;
      this.records.delete(oldest);
    }
  }
}
