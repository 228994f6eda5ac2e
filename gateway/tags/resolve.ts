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
  /** Zero-based protocol address, after the device's addressBase. */
  offset: number;
  /** Registers (register tables) or bits (coil, discrete input) this tag spans. */
  width: number;
  /** For a bool inside a register. */
  bit?: number;
  type: DataType;
  order: WordOrder;
  /** Registers of a string. */
  length?: number;
  scale: number;
  valueOffset: number;
  unit?: string;
  /** The tag's own scan period; the device's pollMs when absent. */
  scanMs?: number;
}

export interface ResolveOptions {
  /**
   * How the device numbers table offsets (`HR:n`): 0 = protocol addresses, 1 =
   * one-based, so `HR:1` is protocol address 0. Modicon numbers are always one-based.
   */
  addressBase?: 0 | 1;
}

export type TagResolution = { ok: true; tag: ResolvedTag } | { ok: false; name: string; error: string };

export function isBitTable(table: RegisterTable): boolean {
  return table === 'coil' || table === 'discreteInput';
}

export function resolveTag(tag: Tag, options: ResolveOptions = {}): TagResolution {
  const parsed = parseAddress(tag.address);
  if (!parsed.ok) return { ok: false, name: tag.name, error: parsed.error };
  const { table, bit } = parsed.address;
  let offset = parsed.address.offset;
  if (parsed.address.form === 'table' && options.addressBase === 1) {
    if (offset === 0) {
      return {
        ok: false,
        name: tag.name,
        error: `${tag.address} is offset 0, but this device numbers offsets from 1 (addressBase 1): the first is ${formatAddress({ table, offset: 1, bit })}`,
      };
    }
    offset -= 1;
  }
  if (tag.type === 'string' && tag.length === undefined) {
    return { ok: false, name: tag.name, error: 'a "string" tag needs "length", in registers' };
  }
  const width = isBitTable(table) || bit !== undefined ? 1 : registerCount(tag.type, tag.length);
  // The schema checks the start address; a wide value must also end inside the table.
  if (offset + width > 0x10000) {
    return {
      ok: false,
      name: tag.name,
      error: `${tag.type} at ${formatAddress({ table, offset, bit })} needs ${width} registers and runs past 65535`,
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
      ...(bit === undefined ? {} : { bit }),
      type: tag.type,
      order: tag.order,
      ...(tag.length === undefined ? {} : { length: tag.length }),
      scale: tag.scale,
      valueOffset: tag.offset,
      ...(tag.unit === undefined ? {} : { unit: tag.unit }),
      ...(tag.scanMs === undefined ? {} : { scanMs: tag.scanMs }),
    },
  };
}

/** `HR:40` (protocol address, zero-based), for messages that must be unambiguous. */
export function protocolAddress(tag: ResolvedTag): string {
  return formatAddress({ table: tag.table, offset: tag.offset, bit: tag.bit });
}
