/**
 * Collects tag values for a webview and hands them over at most every ~50 ms, the
 * latest value per tag winning within a window. The gateway batches too; this second
 * stage caps postMessage traffic when several devices' batches interleave, and drops
 * nothing a user could see (one repaint per frame shows one value anyway; the history
 * keeps every value on the host, see tagWatchPanel.ts). No vscode import: unit-testable.
 */
import type { TagValue } from '../../gateway/api';

export const VALUE_BATCH_MS = 50;

export class ValueBatcher {
  private pending = new Map<string, TagValue>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flush: (values: TagValue[]) => void,
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
    if (!this.timer && this.pending.size > 0) this.timer = setTimeout(() => this.emit(), this.intervalMs);
  }

  /** Forgets what is pending (the webview is hidden: a snapshot replaces it later). */
  clear(): void {
    this.pending.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.clear();
  }

  private emit(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const values = [...this.pending.values()];
    this.pending.clear();
    this.flush(values);
  }
}
