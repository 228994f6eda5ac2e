/**
 * Captured frames to the channel in batches: every 50 ms, or at once when 500
 * wait, like tag values. Unlike tag values nothing is coalesced: every frame counts.
 */
import type { CapturedFrame } from '../api/capture';

export interface FrameBatchOptions {
  intervalMs: number;
  maxFrames: number;
}

export const DEFAULT_FRAME_BATCH: FrameBatchOptions = { intervalMs: 50, maxFrames: 500 };

export class FrameBatcher {
  private waiting: CapturedFrame[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deliver: (frames: CapturedFrame[]) => void,
    private readonly options: FrameBatchOptions = DEFAULT_FRAME_BATCH,
  ) {}

  push(frame: CapturedFrame): void {
    this.waiting.push(frame);
    if (this.waiting.length >= this.options.maxFrames) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.intervalMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const frames = this.waiting;
    this.waiting = [];
    this.deliver(frames);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = [];
  }
}
