/**
 * Collects tag value changes and read ticks and hands them over in batches: every
 * 50 ms, or at once when 500 values are waiting. A tag that changes twice within
 * one batch is sent once, with its latest reading: clients want the present, not a
 * backlog. Likewise only the latest read tick of each device and scan period goes.
 *
 * Both ends of the channel batch with it: the gateway before it broadcasts
 * `tag.values`, and a Tag Watch panel's host before it posts to its page, where
 * several devices' batches interleave and one repaint a frame shows one value anyway
 * (the host keeps every value in its history). No imports beyond the contract's types.
 */
import type { TagReadTick, TagValue } from './channel';

export interface BatchOptions {
  intervalMs: number;
  maxValues: number;
}

export const DEFAULT_BATCH: BatchOptions = { intervalMs: 50, maxValues: 500 };

export type BatchDelivery = (values: TagValue[], reads: TagReadTick[]) => void;

export class TagValueBatcher {
  private readonly waiting = new Map<string, TagValue>();
  private readonly reads = new Map<string, TagReadTick>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deliver: BatchDelivery,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  push(values: readonly TagValue[]): void {
    for (const value of values) {
      const key = `${value.device}\u0000${value.tag}`;
      this.waiting.delete(key);
      this.waiting.set(key, value);
      if (this.waiting.size >= this.options.maxValues) this.flush();
    }
    this.arm();
  }

  /** A scan completed: its tags were read at `tick.at`, whether or not their values changed. */
  pushRead(tick: TagReadTick): void {
    this.reads.set(`${tick.device}\u0000${tick.scanMs}`, tick);
    this.arm();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.size === 0 && this.reads.size === 0) return;
    const values = [...this.waiting.values()];
    const reads = [...this.reads.values()];
    this.waiting.clear();
    this.reads.clear();
    this.deliver(values, reads);
  }

  /** Drop what is waiting and stop the timer. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
    this.reads.clear();
  }

  private arm(): void {
    if ((this.waiting.size > 0 || this.reads.size > 0) && this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.options.intervalMs);
    }
  }
}
