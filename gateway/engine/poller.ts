/**
 * Scans one device's tags every pollMs while its session is connected: reads the
 * planned blocks one after another, decodes each tag, and reports the tags whose
 * reading changed. When the session drops, every known value turns stale.
 */
import type { TagValue } from '../api/channel';
import { ExceptionCode } from '../protocol/exceptions';
import { ModbusExceptionError } from '../protocol/errors';
import type { ResolvedTag } from '../tags/resolve';
import { decodeTagFromBlock } from '../tags/tagValue';
import type { Logger } from './logger';
import { planReads, splitBlock, type ReadBlock } from './planner';

/** Reads one block: registers for register tables, bits for coils and inputs. */
export interface BlockReader {
  read(block: ReadBlock): Promise<readonly number[] | readonly boolean[]>;
}

export interface PollerOptions {
  device: string;
  pollMs: number;
  tags: readonly ResolvedTag[];
  /** Tags whose config cannot be read at all; they stay bad with this error. */
  invalidTags?: readonly { name: string; error: string }[];
  reader: BlockReader;
  onValues: (values: TagValue[]) => void;
  logger: Logger;
}

type BlockOutcome = { ok: true; data: readonly number[] | readonly boolean[] } | { ok: false; error: Error };

export class DevicePoller {
  private readonly blocks: ReadBlock[];
  private readonly values = new Map<string, TagValue>();
  private running = false;
  private scanning = false;
  private rescanRequested = false;
  /** Bumped by start/stop: a scan still awaiting a reply from before must not publish. */
  private generation = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: PollerOptions) {
    this.blocks = planReads(options.tags);
    for (const invalid of options.invalidTags ?? []) {
      this.values.set(invalid.name, this.reading(invalid.name, { value: null, quality: 'bad', error: invalid.error }));
    }
  }

  /** The number of requests one scan sends (after any fallback splits). */
  get requestsPerScan(): number {
    return this.blocks.length;
  }

  value(tag: string): TagValue | undefined {
    return this.values.get(tag);
  }

  /** Begin scanning now and every pollMs after. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation++;
    void this.scan();
  }

  /** Stop scanning; every value read so far becomes stale, with `reason` as its error. */
  stop(reason: string): void {
    this.running = false;
    this.generation++;
    clearTimeout(this.timer);
    this.markStale(reason);
  }

  /** Scan now instead of at the next tick (queued behind a scan in progress). */
  refresh(): void {
    if (!this.running) return;
    void this.scan();
  }

  private async scan(): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.scanning = true;
    this.rescanRequested = false;
    const generation = this.generation;
    const startedAt = Date.now();
    try {
      for (let index = 0; index < this.blocks.length; index++) {
        const block = this.blocks[index];
        const outcome = await this.readBlock(block);
        if (generation !== this.generation) return;
        if (outcome.ok) {
          this.publish(this.decodeBlock(block, outcome.data));
        } else if (this.shouldSplit(block, outcome.error)) {
          this.options.logger.log(
            'warn',
            `${outcome.error.message}; reading its ${block.tags.length} tags one by one from now on`,
            this.options.device,
          );
          this.blocks.splice(index, 1, ...splitBlock(block));
          index--;
        } else {
          this.publish(block.tags.map((tag) => this.reading(tag.name, { value: null, quality: 'bad', error: outcome.error.message })));
        }
      }
    } finally {
      this.scanning = false;
      if (this.running) {
        const wait = this.rescanRequested ? 0 : Math.max(0, startedAt + this.options.pollMs - Date.now());
        this.timer = setTimeout(() => void this.scan(), wait);
      }
    }
  }

  private async readBlock(block: ReadBlock): Promise<BlockOutcome> {
    try {
      return { ok: true, data: await this.options.reader.read(block) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  /**
   * A merged block may span registers the device does not have, or be longer than
   * it accepts; it answers exception 02 or 03. Reading tag by tag then works.
   */
  private shouldSplit(block: ReadBlock, error: Error): boolean {
    return (
      block.tags.length > 1 &&
      error instanceof ModbusExceptionError &&
      (error.exceptionCode === ExceptionCode.IllegalDataAddress || error.exceptionCode === ExceptionCode.IllegalDataValue)
    );
  }

  private decodeBlock(block: ReadBlock, data: readonly number[] | readonly boolean[]): TagValue[] {
    return block.tags.map((tag) => {
      try {
        const decoded = decodeTagFromBlock(tag, block.start, data);
        return this.reading(tag.name, { value: decoded.value, raw: decoded.raw, quality: 'good' });
      } catch (error) {
        return this.reading(tag.name, { value: null, quality: 'bad', error: (error as Error).message });
      }
    });
  }

  private markStale(reason: string): void {
    const stale: TagValue[] = [];
    for (const value of this.values.values()) {
      if (value.quality === 'good') stale.push({ ...value, quality: 'stale', error: reason });
    }
    this.publish(stale);
  }

  private reading(tag: string, fields: Pick<TagValue, 'value' | 'quality'> & Partial<TagValue>): TagValue {
    return { device: this.options.device, tag, ts: Date.now(), ...fields };
  }

  /** Store the readings and report the ones that differ from what was known. */
  private publish(readings: TagValue[]): void {
    const changed = readings.filter((reading) => {
      const previous = this.values.get(reading.tag);
      this.values.set(reading.tag, reading);
      return previous === undefined || !sameReading(previous, reading);
    });
    if (changed.length > 0) this.options.onValues(changed);
  }
}

function sameReading(a: TagValue, b: TagValue): boolean {
  return (
    a.value === b.value &&
    a.quality === b.quality &&
    a.error === b.error &&
    (a.raw ?? []).length === (b.raw ?? []).length &&
    (a.raw ?? []).every((word, index) => word === b.raw?.[index])
  );
}
