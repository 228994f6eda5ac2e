/**
 * When to restart a crashed gateway, and when to stop trying.
 *
 * After vscode-eslint's client: a server that crashes 5 times within 3 minutes is
 * broken, not unlucky, and restarting it forever only floods the log. Between
 * crashes the delay doubles so a process that dies at once does not spin the CPU.
 */
export interface CrashPolicyOptions {
  maxCrashes: number;
  windowMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicyOptions = {
  maxCrashes: 5,
  windowMs: 3 * 60_000,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
};

export type CrashDecision = { restart: true; delayMs: number; recentCrashes: number } | { restart: false; recentCrashes: number };

export class CrashPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: CrashPolicyOptions = DEFAULT_CRASH_POLICY) {}

  /** Record a crash at `now` and decide what to do about it. */
  recordCrash(now: number): CrashDecision {
    this.crashes = this.crashes.filter((at) => now - at < this.options.windowMs);
    this.crashes.push(now);
    const recentCrashes = this.crashes.length;
    if (recentCrashes >= this.options.maxCrashes) return { restart: false, recentCrashes };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (recentCrashes - 1));
    return { restart: true, delayMs, recentCrashes };
  }

  /** A restart the user asked for starts with a clean slate. */
  reset(): void {
    this.crashes = [];
  }
}
