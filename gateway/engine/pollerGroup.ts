/**
 * One scan period's worth of a device's tags: its own plan and its own timer.
 *
 * When a merged block draws "illegal data address" (02) or "illegal data value"
 * (03, often a quantity the device will not serve), the group splits the block in
 * two and reads each half, recursively, until it finds the tag(s) the device
 * rejects. Only those go bad; the rest are planned again into merged blocks that
 * stay clear of what was learnt (Cuts), so the request count stays minimal.
 */
import type { TagValue } from '../api/channel';
import { ModbusExceptionError } from '../protocol/errors';
import { ExceptionCode } from '../protocol/exceptions';
import { decodeTagFromBlock } from '../tags/tagValue';
import { protocolAddress, type ResolvedTag } from '../tags/resolve';
import { planReads, type Cuts, type PlanOptions, type ReadBlock } from './planner';

export interface BlockReader {
  read(block: ReadBlock): Promise<readonly number[] | readonly boolean[]>;
}

/** What the group shares with its device poller. */
export interface GroupContext {
  reader: BlockReader;
  options: PlanOptions;
  cuts: Cuts;
  /** Tags the device rejected on their own: kept out of every plan until the poller restarts. */
  rejected: Map<string, string>;
  /** Readings to store and report. */
  publish(readings: TagValue[]): void;
  /** A scan of this period completed at `at` (its good tags were read then, changed or not). */
  scanned(scanMs: number, at: number): void;
  reading(tag: string, fields: Pick<TagValue, 'value' | 'quality'> & Partial<TagValue>): TagValue;
  warn(message: string): void;
  /** False once the poller stopped or restarted: a late reply must not publish. */
  current(generation: number): boolean;
}

type Outcome = { ok: true; data: readonly number[] | readonly boolean[] } | { ok: false; error: Error };

export class PollerGroup {
  private blocks: ReadBlock[];
  private scanning = false;
  private rescanRequested = false;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    readonly scanMs: number,
    private readonly tags: readonly ResolvedTag[],
    private readonly context: GroupContext,
  ) {
    this.blocks = this.plan();
  }

  get plannedBlocks(): readonly ReadBlock[] {
    return this.blocks;
  }

  start(generation: number): void {
    this.running = true;
    this.blocks = this.plan();
    void this.scan(generation);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  refresh(generation: number): void {
    if (this.running) void this.scan(generation);
  }

  private plan(): ReadBlock[] {
    return planReads(
      this.tags.filter((tag) => !this.context.rejected.has(tag.name)),
      this.context.options,
      this.context.cuts,
    );
  }

  private async scan(generation: number): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.scanning = true;
    this.rescanRequested = false;
    const startedAt = Date.now();
    let learnt = false;
    try {
      for (const block of this.blocks) {
        const outcome = await this.read(block);
        if (!this.context.current(generation)) return;
        if (outcome.ok) this.context.publish(this.decode(block, outcome.data));
        else if (isAddressRejection(outcome.error)) {
          this.context.warn(`${outcome.error.message}; splitting the block to find the tag the device rejects`);
          await this.isolate(block.tags, outcome.error, generation);
          learnt = true;
        } else this.publishBad(block.tags, outcome.error.message);
        if (!this.context.current(generation)) return;
      }
      if (learnt) this.blocks = this.plan();
      this.context.scanned(this.scanMs, Date.now());
    } finally {
      this.scanning = false;
      if (this.running && this.context.current(generation)) {
        const wait = this.rescanRequested ? 0 : Math.max(0, startedAt + this.scanMs - Date.now());
        this.timer = setTimeout(() => void this.scan(generation), wait);
      }
    }
  }

  /**
   * Read `tags` (which together drew `error`) in two halves, recursing into a half
   * that is rejected again. A lone rejected tag is the culprit. When both halves
   * read fine, the registers between them are what the device lacks: a cut there
   * keeps later plans from bridging it. Returns whether anything was learnt.
   */
  private async isolate(tags: readonly ResolvedTag[], error: Error, generation: number): Promise<boolean> {
    const sorted = [...tags].sort((a, b) => a.offset - b.offset);
    const middle = splitIndex(sorted);
    if (middle === undefined) {
      for (const tag of sorted) this.reject(tag, error);
      return true;
    }
    let learnt = false;
    for (const half of [sorted.slice(0, middle), sorted.slice(middle)]) {
      for (const block of planReads(half, this.context.options, this.context.cuts)) {
        const outcome = await this.read(block);
        if (!this.context.current(generation)) return learnt;
        if (outcome.ok) this.context.publish(this.decode(block, outcome.data));
        else if (!isAddressRejection(outcome.error)) this.publishBad(block.tags, outcome.error.message);
        else if (await this.isolate(block.tags, outcome.error, generation)) learnt = true;
      }
    }
    // Each half reads on its own, together they don't: the gap (or the length) is the problem.
    if (!learnt) this.context.cuts.add(sorted[middle].table, sorted[middle].offset);
    return true;
  }

  private reject(tag: ResolvedTag, error: Error): void {
    const reason = `the device rejects ${protocolAddress(tag)} (${tag.type}, ${tag.width} ${tag.width === 1 ? 'register' : 'registers'}): ${error.message}; not polled until the device reconnects`;
    this.context.rejected.set(tag.name, reason);
    this.context.cuts.add(tag.table, tag.offset);
    this.context.cuts.add(tag.table, tag.offset + tag.width);
    this.context.warn(reason);
    this.context.publish([this.context.reading(tag.name, { value: null, quality: 'bad', error: reason })]);
  }

  private async read(block: ReadBlock): Promise<Outcome> {
    try {
      return { ok: true, data: await this.context.reader.read(block) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private publishBad(tags: readonly ResolvedTag[], message: string): void {
    this.context.publish(tags.map((tag) => this.context.reading(tag.name, { value: null, quality: 'bad', error: message })));
  }

  private decode(block: ReadBlock, data: readonly number[] | readonly boolean[]): TagValue[] {
    return block.tags.map((tag) => {
      try {
        const decoded = decodeTagFromBlock(tag, block.start, data);
        return this.context.reading(tag.name, {
          value: decoded.value,
          ...(decoded.text === undefined ? {} : { text: decoded.text }),
          raw: decoded.raw,
          quality: 'good',
        });
      } catch (error) {
        return this.context.reading(tag.name, { value: null, quality: 'bad', error: (error as Error).message });
      }
    });
  }
}

export function isAddressRejection(error: Error): boolean {
  return (
    error instanceof ModbusExceptionError &&
    (error.exceptionCode === ExceptionCode.IllegalDataAddress || error.exceptionCode === ExceptionCode.IllegalDataValue)
  );
}

/**
 * Where to halve tags sorted by address: nearest the middle, between two different
 * offsets (tags sharing an offset, like HR:10 and HR:10.3, stay together). Undefined
 * when every tag starts at the same address.
 */
function splitIndex(sorted: readonly ResolvedTag[]): number | undefined {
  const middle = Math.floor(sorted.length / 2);
  for (let distance = 0; distance < sorted.length; distance++) {
    for (const index of [middle + distance, middle - distance]) {
      if (index > 0 && index < sorted.length && sorted[index].offset > sorted[index - 1].offset) return index;
    }
  }
  return undefined;
}
