/**
 * Plans the reads of one scan: tags in the same table become one request when
 * they are adjacent or close, up to the device's per-request limits. The Go
 * gateway this project replaces sent one request per tag; a device with 50 tags
 * took 50 round trips per scan instead of one or two.
 *
 * Tags with their own scan rate are planned per scan period (planScanGroups), so a
 * 100 ms tag never drags a 10 s block along with it.
 */
import type { RegisterTable } from '../api/address';
import type { Device } from '../api/config';
import { FunctionCode } from '../protocol/functionCodes';
import { LIMITS } from '../protocol/limits';
import type { ReadFunctionCode } from '../protocol/requests';
import { isBitTable, type ResolvedTag } from '../tags/resolve';

export interface ReadBlock {
  table: RegisterTable;
  functionCode: ReadFunctionCode;
  start: number;
  quantity: number;
  tags: ResolvedTag[];
}

export interface PlanOptions {
  /**
   * Unused registers a block may read across to join two tags. Reading a few extra
   * registers costs bytes; another request costs a round trip (and on a serial bus
   * two 3.5-character gaps).
   */
  maxRegisterGap: number;
  /** The same for coils and discrete inputs (64 bits are 8 bytes). */
  maxBitGap: number;
  maxRegisters: number;
  maxBits: number;
}

export const DEFAULT_PLAN: PlanOptions = {
  maxRegisterGap: 8,
  maxBitGap: 64,
  maxRegisters: LIMITS.readRegisters,
  maxBits: LIMITS.readBits,
};

/** The device's own limits, from bifrost.json. */
export function planOptionsFor(device: Pick<Device, 'maxRegistersPerRead' | 'maxBitsPerRead' | 'maxRegisterGap'>): PlanOptions {
  return {
    maxRegisters: device.maxRegistersPerRead,
    maxBits: device.maxBitsPerRead,
    maxRegisterGap: device.maxRegisterGap,
    maxBitGap: DEFAULT_PLAN.maxBitGap,
  };
}

/**
 * Addresses a block must not read across, learnt from a device that answered
 * "illegal data address": a cut at x means no block holds both x−1 and x. Around a
 * tag the device rejected there are two cuts, so no merged block touches it again.
 */
export class Cuts {
  private readonly byTable = new Map<RegisterTable, Set<number>>();

  add(table: RegisterTable, address: number): boolean {
    let set = this.byTable.get(table);
    if (!set) this.byTable.set(table, (set = new Set()));
    const before = set.size;
    set.add(address);
    return set.size !== before;
  }

  /** Would a block of [start, end) read across a cut? */
  crosses(table: RegisterTable, start: number, end: number): boolean {
    for (const cut of this.byTable.get(table) ?? []) if (start < cut && cut < end) return true;
    return false;
  }

  clear(): void {
    this.byTable.clear();
  }
}

const READ_FUNCTION: Record<RegisterTable, ReadFunctionCode> = {
  coil: FunctionCode.ReadCoils,
  discreteInput: FunctionCode.ReadDiscreteInputs,
  holdingRegister: FunctionCode.ReadHoldingRegisters,
  inputRegister: FunctionCode.ReadInputRegisters,
};

const TABLE_ORDER: readonly RegisterTable[] = ['holdingRegister', 'inputRegister', 'coil', 'discreteInput'];

/** The most a single request for this table may read. */
export function maxQuantity(table: RegisterTable, options: PlanOptions): number {
  return isBitTable(table) ? options.maxBits : options.maxRegisters;
}

/**
 * Fewest blocks for `tags` under the limits: greedy over tags sorted by address,
 * which is optimal for interval covering with a maximum length and gap.
 * A tag wider than the limit still gets its own block; `unreadableTags` finds those first.
 */
export function planReads(tags: readonly ResolvedTag[], options: PlanOptions = DEFAULT_PLAN, cuts?: Cuts): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const table of TABLE_ORDER) {
    const inTable = tags.filter((tag) => tag.table === table).sort((a, b) => a.offset - b.offset || b.width - a.width);
    const maxGap = isBitTable(table) ? options.maxBitGap : options.maxRegisterGap;
    const limit = maxQuantity(table, options);
    let current: ReadBlock | undefined;
    for (const tag of inTable) {
      const tagEnd = tag.offset + tag.width;
      if (current) {
        const currentEnd = current.start + current.quantity;
        const newEnd = Math.max(currentEnd, tagEnd);
        const fits = tag.offset <= currentEnd + maxGap && newEnd - current.start <= limit;
        if (fits && !cuts?.crosses(table, current.start, newEnd)) {
          current.quantity = newEnd - current.start;
          current.tags.push(tag);
          continue;
        }
      }
      current = { table, functionCode: READ_FUNCTION[table], start: tag.offset, quantity: tag.width, tags: [tag] };
      blocks.push(current);
    }
  }
  return blocks;
}

/** Tags no single request can read under the device's limits (a long string on a fussy device). */
export function unreadableTags(tags: readonly ResolvedTag[], options: PlanOptions): { tag: ResolvedTag; error: string }[] {
  return tags
    .filter((tag) => tag.width > maxQuantity(tag.table, options))
    .map((tag) => ({
      tag,
      error: `${tag.name} spans ${tag.width} registers but this device reads at most ${maxQuantity(tag.table, options)} per request (maxRegistersPerRead)`,
    }));
}

export interface ScanGroup {
  scanMs: number;
  tags: ResolvedTag[];
}

/** Tags grouped by their effective scan period (their own scanMs, else the device's pollMs), fastest first. */
export function groupByScanPeriod(tags: readonly ResolvedTag[], defaultScanMs: number): ScanGroup[] {
  const groups = new Map<number, ResolvedTag[]>();
  for (const tag of tags) {
    const scanMs = tag.scanMs ?? defaultScanMs;
    let list = groups.get(scanMs);
    if (!list) groups.set(scanMs, (list = []));
    list.push(tag);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([scanMs, list]) => ({ scanMs, tags: list }));
}

/** One block per tag: the old fallback, kept for callers that want the most conservative plan. */
export function splitBlock(block: ReadBlock): ReadBlock[] {
  return block.tags.map((tag) => ({ ...block, start: tag.offset, quantity: tag.width, tags: [tag] }));
}
