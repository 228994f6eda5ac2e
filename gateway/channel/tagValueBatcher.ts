/**
 * Collects tag value changes and hands them over in batches: every 50 ms, or at
 * once when 500 are waiting. A tag that changes twice within one batch is sent
 * once, with its latest reading: clients want the present, not a backlog.
 */
import type { TagValue } from '../api/channel';

export interface BatchOptions {
  intervalMs: number;
  maxValues: number;
}

export const DEFAULT_BATCH: BatchOptions = { intervalMs: 50, maxValues: 500 };

export class TagValueBatcher {
  private readonly waiting = new Map<string, TagValue>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deliver: (values: TagValue[]) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  push(values: readonly TagValue[]): void {
    for (const value of values) {
      const key = `${value.device}\u0000${value.tag}`;
      this.waiting.delete(key);
      this.waiting.set(key, value);
      if (this.waiting.size >= this.options.maxValues) this.flush();
    }
    if (this.waiting.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.options.intervalMs);
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.size === 0) return;
    const values = [...this.waiting.values()];
    this.waiting.clear();
    this.deliver(values);
  }

  /** Drop what is waiting and stop the timer. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
  }
}
