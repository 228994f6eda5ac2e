/**
 * The capture ring: the last N frames every link moved, with where and when. A
 * fixed-size circular buffer, so a busy bus costs constant memory and pushing a
 * frame is O(1) (the gateway captures every frame, always).
 */
import { DEFAULT_CAPTURE_CAPACITY, type CapturedFrame, type CaptureSnapshot } from '../api/capture';
import type { LinkFrame } from '../transport/frames';

export class CaptureRing {
  private readonly slots: (CapturedFrame | undefined)[];
  /** Index of the next slot to write. */
  private head = 0;
  private count = 0;
  private nextId = 1;
  private droppedCount = 0;
  private readonly listeners = new Set<(frame: CapturedFrame) => void>();

  constructor(readonly capacity: number = DEFAULT_CAPTURE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capture capacity must be a positive integer, not ${capacity}`);
    this.slots = new Array<CapturedFrame | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  push(frame: LinkFrame): CapturedFrame {
    const captured: CapturedFrame = {
      id: this.nextId++,
      ts: frame.timestamp,
      direction: frame.direction,
      link: frame.link,
      ...(frame.device === undefined ? {} : { device: frame.device }),
      ...(frame.unitId === undefined ? {} : { unitId: frame.unitId }),
      hex: frame.bytes.toString('hex'),
      ...(frame.note === undefined ? {} : { note: frame.note }),
      ...(frame.correlation === undefined ? {} : { correlation: frame.correlation }),
    };
    if (this.count === this.capacity) this.droppedCount++;
    else this.count++;
    this.slots[this.head] = captured;
    this.head = (this.head + 1) % this.capacity;
    for (const listener of this.listeners) listener(captured);
    return captured;
  }

  /** The newest `limit` frames (all when absent), oldest first. */
  snapshot(limit?: number): CaptureSnapshot {
    const take = Math.min(this.count, limit ?? this.count);
    const frames: CapturedFrame[] = [];
    for (let i = take; i > 0; i--) {
      frames.push(this.slots[(this.head - i + this.capacity) % this.capacity]!);
    }
    return { frames, capacity: this.capacity, dropped: this.droppedCount };
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.droppedCount = 0;
  }

  /** Every frame as it is captured; returns the unsubscribe. */
  subscribe(listener: (frame: CapturedFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
