/**
 * The capture ring: the last N frames every link moved, with where and when. A
 * fixed-size circular buffer, so a busy bus costs constant memory and pushing a
 * frame is O(1) (the gateway captures every frame, always).
 *
 * Pushing is on every request's path (two frames per poll, four per proxied
 * request), so a slot keeps the frame's bytes and fields as they came, in one
 * fixed-shape object; the contract's CapturedFrame (with its hex text) is made only
 * when someone reads the frame: a snapshot, or a listener while one is subscribed.
 * A profile of a busy proxy put a tenth of its CPU in building those up front.
 */
import { DEFAULT_CAPTURE_CAPACITY, type CapturedFrame, type CaptureSnapshot } from '../api/capture';
import type { LinkFrame } from '../transport/frames';

/** One captured frame as pushed; `captured` is its contract form, made once, when first read. */
class Slot {
  captured?: CapturedFrame;

  constructor(
    readonly id: number,
    readonly frame: LinkFrame,
  ) {}

  read(): CapturedFrame {
    if (this.captured) return this.captured;
    const f = this.frame;
    const captured: CapturedFrame = { id: this.id, ts: f.timestamp, direction: f.direction, link: f.link, hex: f.bytes.toString('hex') };
    if (f.device !== undefined) captured.device = f.device;
    if (f.unitId !== undefined) captured.unitId = f.unitId;
    if (f.note !== undefined) captured.note = f.note;
    if (f.correlation !== undefined) captured.correlation = f.correlation;
    if (f.injected !== undefined) captured.injected = f.injected;
    this.captured = captured;
    return captured;
  }
}

export class CaptureRing {
  private readonly slots: (Slot | undefined)[];
  /** Index of the next slot to write. */
  private head = 0;
  private count = 0;
  private nextId = 1;
  private droppedCount = 0;
  private readonly listeners = new Set<(frame: CapturedFrame) => void>();

  constructor(readonly capacity: number = DEFAULT_CAPTURE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capture capacity must be a positive integer, not ${capacity}`);
    this.slots = new Array<Slot | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Keep `frame`. Its bytes are kept as they are, not copied: every link hands over
   * a buffer of its own for each frame (a copy out of its read buffer, or the frame
   * it just encoded) and never writes to it again.
   */
  push(frame: LinkFrame): void {
    const slot = new Slot(this.nextId++, frame);
    if (this.count === this.capacity) this.droppedCount++;
    else this.count++;
    this.slots[this.head] = slot;
    this.head = (this.head + 1) % this.capacity;
    if (this.listeners.size === 0) return;
    const captured = slot.read();
    for (const listener of this.listeners) listener(captured);
  }

  /** The newest `limit` frames (all when absent), oldest first. */
  snapshot(limit?: number): CaptureSnapshot {
    const take = Math.min(this.count, limit ?? this.count);
    const frames: CapturedFrame[] = [];
    for (let i = take; i > 0; i--) {
      frames.push(this.slots[(this.head - i + this.capacity) % this.capacity]!.read());
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
