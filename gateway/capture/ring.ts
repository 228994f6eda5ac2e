/**
 * The capture ring: the last N frames every link moved, with where and when, in
 * constant memory, shared fairly. Each device (or, for frames of no device, each
 * link) has a queue of its own; when the ring is full, the frame pushed out is the
 * oldest of whichever device holds the most. A busy device (the demo's twenty
 * frames a second, a proxy under load) then evicts its own frames, never those of
 * a quiet one that holds less than an equal share; what each device lost is counted.
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
    if (f.answers !== undefined) captured.answers = f.answers;
    this.captured = captured;
    return captured;
  }
}

/** One device's frames, oldest first: an array consumed from `head`, compacted now and then. */
class Share {
  private slots: Slot[] = [];
  private head = 0;
  dropped = 0;

  get size(): number {
    return this.slots.length - this.head;
  }

  push(slot: Slot): void {
    this.slots.push(slot);
  }

  evictOldest(): void {
    this.slots[this.head++] = undefined as unknown as Slot;
    this.dropped++;
    if (this.head >= 1024 && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  /** The newest `count` slots, oldest first. */
  newest(count: number): Slot[] {
    return this.slots.slice(Math.max(this.head, this.slots.length - count));
  }
}

export class CaptureRing {
  private readonly shares = new Map<string, Share>();
  /** The same shares, for the eviction's scan without an iterator per push. */
  private shareList: Share[] = [];
  /** The share the last frame went to: consecutive frames of one device skip the lookup. */
  private lastKey?: string;
  private lastShare?: Share;
  private count = 0;
  private nextId = 1;
  private readonly listeners = new Set<(frame: CapturedFrame) => void>();

  constructor(readonly capacity: number = DEFAULT_CAPTURE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capture capacity must be a positive integer, not ${capacity}`);
  }

  get size(): number {
    return this.count;
  }

  get dropped(): number {
    let dropped = 0;
    for (const share of this.shares.values()) dropped += share.dropped;
    return dropped;
  }

  /**
   * Keep `frame`. Its bytes are kept as they are, not copied: every link hands over
   * a buffer of its own for each frame (a copy out of its read buffer, or the frame
   * it just encoded) and never writes to it again.
   */
  push(frame: LinkFrame): void {
    const slot = new Slot(this.nextId++, frame);
    const key = frame.device ?? frame.link;
    let share = key === this.lastKey ? this.lastShare : this.shares.get(key);
    if (!share) {
      share = new Share();
      this.shares.set(key, share);
      this.shareList.push(share);
    }
    this.lastKey = key;
    this.lastShare = share;
    share.push(slot);
    if (this.count === this.capacity) this.largestShare().evictOldest();
    else this.count++;
    if (this.listeners.size === 0) return;
    const captured = slot.read();
    for (const listener of this.listeners) listener(captured);
  }

  /** The newest `limit` frames (all when absent), oldest first. */
  snapshot(limit?: number): CaptureSnapshot {
    const take = Math.min(this.count, limit ?? this.count);
    const slots: Slot[] = [];
    const droppedBy: Record<string, number> = {};
    for (const [key, share] of this.shares) {
      for (const slot of share.newest(take)) slots.push(slot);
      if (share.dropped > 0) droppedBy[key] = share.dropped;
    }
    slots.sort((a, b) => a.id - b.id);
    const frames = slots.slice(slots.length - take).map((slot) => slot.read());
    return { frames, capacity: this.capacity, dropped: this.dropped, droppedBy };
  }

  clear(): void {
    this.shares.clear();
    this.shareList = [];
    this.lastKey = undefined;
    this.lastShare = undefined;
    this.count = 0;
  }

  /** Every frame as it is captured; returns the unsubscribe. */
  subscribe(listener: (frame: CapturedFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private largestShare(): Share {
    const shares = this.shareList;
    let largest = shares[0];
    for (let i = 1; i < shares.length; i++) if (shares[i].size > largest.size) largest = shares[i];
    return largest;
  }
}
