/**
 * Plans the reads of one scan: tags in the same table become one request when
 * they are adjacent or close, up to the spec's per-request limit. The Go gateway
 * this project replaces sent one request per tag; a device with 50 tags took 50
 * round trips per scan instead of one or two.
 */
import type { RegisterTable } from '../api/address';
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

const READ_FUNCTION: Record<RegisterTable, ReadFunctionCode> = {
  coil: FunctionCode.ReadCoils,
  discreteInput: FunctionCode.ReadDiscreteInputs,
  holdingRegister: FunctionCode.ReadHoldingRegisters,
  inputRegister: FunctionCode.ReadInputRegisters,
};

const TABLE_ORDER: readonly RegisterTable[] = ['holdingRegister', 'inputRegister', 'coil', 'discreteInput'];

export function planReads(tags: readonly ResolvedTag[], options: PlanOptions = DEFAULT_PLAN): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const table of TABLE_ORDER) {
    const inTable = tags.filter((tag) => tag.table === table).sort((a, b) => a.offset - b.offset || b.width - a.width);
    const bits = isBitTable(table);
    const maxGap = bits ? options.maxBitGap : options.maxRegisterGap;
    const maxQuantity = bits ? options.maxBits : options.maxRegisters;
    let current: ReadBlock | undefined;
    for (const tag of inTable) {
      const tagEnd = tag.offset + tag.width;
      if (current) {
        const currentEnd = current.start + current.quantity;
        const newEnd = Math.max(currentEnd, tagEnd);
        if (tag.offset <= currentEnd + maxGap && newEnd - current.start <= maxQuantity) {
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

/** One block per tag: the fallback when a merged block hits an address the device lacks. */
export function splitBlock(block: ReadBlock): ReadBlock[] {
  return block.tags.map((tag) => ({ ...block, start: tag.offset, quantity: tag.width, tags: [tag] }));
}
