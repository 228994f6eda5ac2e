/**
 * Scans one device's tags while its session is connected: one PollerGroup per scan
 * period (a tag's own scanMs, else the device's pollMs), each on its own timer,
 * decoding each tag and reporting the tags whose reading changed. When the session
 * drops, every known value turns stale.
 */
import type { TagValue } from '../api/channel';
import type { ResolvedTag } from '../tags/resolve';
import type { Logger } from './logger';
import { Cuts, DEFAULT_PLAN, groupByScanPeriod, unreadableTags, type PlanOptions, type ReadBlock } from './planner';
import { PollerGroup, type BlockReader, type GroupContext } from './pollerGroup';

export type { BlockReader } from './pollerGroup';

export interface PollerOptions {
  device: string;
  pollMs: number;
  tags: readonly ResolvedTag[];
  /** Tags whose config cannot be read at all; they stay bad with this error. */
  invalidTags?: readonly { name: string; error: string }[];
  reader: BlockReader;
  onValues: (values: TagValue[]) => void;
  /** A scan of the group with this period completed at `at`; its good tags were read then. */
  onRead?: (scanMs: number, at: number) => void;
  logger: Logger;
  /** The device's request limits; the spec's when absent. */
  plan?: PlanOptions;
}

/** One request of the current plan, as the channel shows it. */
export interface PlannedRequest {
  block: ReadBlock;
  scanMs: number;
}

export class DevicePoller {
  private readonly groups: PollerGroup[];
  private readonly values = new Map<string, TagValue>();
  private readonly cuts = new Cuts();
  private readonly rejected = new Map<string, string>();
  private running = false;
  /** Bumped by start/stop: a scan still awaiting a reply from before must not publish. */
  private generation = 0;

  constructor(private readonly options: PollerOptions) {
    const plan = options.plan ?? DEFAULT_PLAN;
    const unreadable = unreadableTags(options.tags, plan);
    const readable = options.tags.filter((tag) => !unreadable.some((entry) => entry.tag === tag));
    const context: GroupContext = {
      reader: options.reader,
      options: plan,
      cuts: this.cuts,
      rejected: this.rejected,
      publish: (readings) => this.publish(readings),
      scanned: (scanMs, at) => options.onRead?.(scanMs, at),
      reading: (tag, fields) => this.reading(tag, fields),
      warn: (message) => options.logger.log('warn', message, options.device),
      current: (generation) => generation === this.generation,
    };
    this.groups = groupByScanPeriod(readable, options.pollMs).map((group) => new PollerGroup(group.scanMs, group.tags, context));
    const invalid = [...(options.invalidTags ?? []), ...unreadable.map((entry) => ({ name: entry.tag.name, error: entry.error }))];
    for (const { name, error } of invalid) {
      this.values.set(name, this.reading(name, { value: null, quality: 'bad', error }));
    }
  }

  /** The requests one round of every scan group sends, fastest group first. */
  get plan(): PlannedRequest[] {
    return this.groups.flatMap((group) => group.plannedBlocks.map((block) => ({ block, scanMs: group.scanMs })));
  }

  /** The number of requests one round of every scan group sends. */
  get requestsPerScan(): number {
    return this.groups.reduce((sum, group) => sum + group.plannedBlocks.length, 0);
  }

  value(tag: string): TagValue | undefined {
    return this.values.get(tag);
  }

  /**
   * Start from readings taken under the previous plan (a re-planned scan on the same
   * connection), for tags that have none here yet: the values do not blink empty
   * between the apply and the first scan, and an unchanged value is not re-sent.
   */
  seed(readings: Iterable<TagValue>): void {
    for (const reading of readings) if (!this.values.has(reading.tag)) this.values.set(reading.tag, reading);
  }

  /** Begin scanning now and every scan period after; forgets what a previous connection taught. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const generation = ++this.generation;
    this.cuts.clear();
    this.rejected.clear();
    for (const group of this.groups) group.start(generation);
  }

  /** Stop scanning; every value read so far becomes stale, with `reason` as its error. */
  stop(reason: string): void {
    this.running = false;
    this.generation++;
    for (const group of this.groups) group.stop();
    this.markStale(reason);
  }

  /** Scan now instead of at the next tick (queued behind a scan in progress). */
  refresh(): void {
    if (!this.running) return;
    for (const group of this.groups) group.refresh(this.generation);
  }

  /**
   * Good values turn stale with `reason`; values already stale take the new reason,
   * so the reason shown is always the device's present trouble, not its first one.
   */
  private markStale(reason: string): void {
    const stale: TagValue[] = [];
    for (const value of this.values.values()) {
      if (value.quality === 'good' || (value.quality === 'stale' && value.error !== reason)) {
        stale.push({ ...value, quality: 'stale', error: reason });
      }
    }
    this.publish(stale);
  }

  private reading(tag: string, fields: Pick<TagValue, 'value' | 'quality'> & Partial<TagValue>): TagValue {
    return { device: this.options.device, tag, ts: Date.now(), ...fields };
  }

  /**
   * Store the readings and report the ones that differ from what was known. Each
   * stored reading keeps when it last changed: `ts` moves on with every read,
   * `changedAt` only when the value, quality or error does.
   */
  private publish(readings: TagValue[]): void {
    const changed: TagValue[] = [];
    for (const reading of readings) {
      const previous = this.values.get(reading.tag);
      const same = previous !== undefined && sameReading(previous, reading);
      // A stale marking is not a read: it keeps the time of the last one.
      const ts = reading.quality === 'stale' && previous ? previous.ts : reading.ts;
      const stored = { ...reading, ts, changedAt: same ? (previous.changedAt ?? previous.ts) : reading.ts };
      this.values.set(reading.tag, stored);
      if (!same) changed.push(stored);
    }
    if (changed.length > 0) this.options.onValues(changed);
  }
}

function sameReading(a: TagValue, b: TagValue): boolean {
  return (
    a.value === b.value &&
    a.text === b.text &&
    a.quality === b.quality &&
    a.error === b.error &&
    (a.raw ?? []).length === (b.raw ?? []).length &&
    (a.raw ?? []).every((word, index) => word === b.raw?.[index])
  );
}
