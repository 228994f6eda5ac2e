/**
 * Collects tag values for a webview and hands them over at most every ~50 ms, the
 * latest value per tag winning within a window. The gateway batches too; this second
 * stage caps postMessage traffic when several devices' batches interleave, and drops
 * nothing a user could see (one repaint per frame shows one value anyway; the history
 * keeps every value on the host, see tagWatchPanel.ts). No vscode import: unit-testable.
 */
import type { TagReadTick, TagValue } from '../../gateway/api';

export const VALUE_BATCH_MS = 50;

export class ValueBatcher {
  private pending = new Map<string, TagValue>();
  private reads = new Map<string, TagReadTick>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Reads go with the values, after them: a tick must never overtake the change it follows. */
    private readonly flush: (values: TagValue[], reads: TagReadTick[]) => void,
    private readonly intervalMs = VALUE_BATCH_MS,
  ) {}

  add(values: readonly TagValue[]): void {
    for (const value of values) {
      const key = `${value.device}\u0000${value.tag}`;
      // Map order is insertion order: delete first so a re-added tag moves to the end,
      // keeping the batch ordered by arrival.
      this.pending.delete(key);
      this.pending.set(key, value);
    }
    this.arm();
  }

  /** Completed scans (see TagReadTick): only the latest per device and scan period is kept. */
  addReads(reads: readonly TagReadTick[]): void {
    for (const tick of reads) this.reads.set(`${tick.device}\u0000${tick.scanMs}`, tick);
    this.arm();
  }

  private arm(): void {
    if (!this.timer && (this.pending.size > 0 || this.reads.size > 0)) this.timer = setTimeout(() => this.emit(), this.intervalMs);
  }

  /** Forgets what is pending (the webview is hidden: a snapshot replaces it later). */
  clear(): void {
    this.pending.clear();
    this.reads.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.clear();
  }

  private emit(): void {
    this.timer = undefined;
    if (this.pending.size === 0 && this.reads.size === 0) return;
    const values = [...this.pending.values()];
    const reads = [...this.reads.values()];
    this.pending.clear();
    this.reads.clear();
    this.flush(values, reads);
  }
}
