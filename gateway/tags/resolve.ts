/**
 * A config tag turned into what the poller needs: which table, which offset, how
 * many registers or bits, and how to decode them. Done once per config apply.
 */
import { parseAddress, formatAddress, type RegisterTable } from '../api/address';
import type { DataType, Tag, WordOrder } from '../api/config';
import { registerCount } from './dataTypes';

export interface ResolvedTag {
  name: string;
  /** The address as the user wrote it, for messages and snapshots. */
  address: string;
  table: RegisterTable;
  offset: number;
  /** Registers (register tables) or bits (coil, discrete input) this tag spans. */
  width: number;
  /** For a bool inside a register. */
  bit?: number;
  type: DataType;
  order: WordOrder;
  scale: number;
  valueOffset: number;
  unit?: string;
}

export type TagResolution = { ok: true; tag: ResolvedTag } | { ok: false; name: string; error: string };

export function isBitTable(table: RegisterTable): boolean {
  return table === 'coil' || table === 'discreteInput';
}

export function resolveTag(tag: Tag): TagResolution {
  const parsed = parseAddress(tag.address);
  if (!parsed.ok) return { ok: false, name: tag.name, error: parsed.error };
  const { table, offset, bit } = parsed.address;
  const width = isBitTable(table) || bit !== undefined ? 1 : registerCount(tag.type);
  // The schema checks the start address; a 32-bit value must also end inside the table.
  if (offset + width > 0x10000) {
    return {
      ok: false,
      name: tag.name,
      error: `${tag.type} at ${formatAddress(parsed.address)} needs ${width} registers and runs past 65535`,
    };
  }
  return {
    ok: true,
    tag: {
      name: tag.name,
      address: tag.address,
      table,
      offset,
      width,
      bit,
      type: tag.type,
      order: tag.order,
      scale: tag.scale,
      valueOffset: tag.offset,
      unit: tag.unit,
    },
  };
}
