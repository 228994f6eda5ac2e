/** What each data type occupies on the wire, and the ranges the integer types hold. */
import { REGISTERS_PER_TYPE, type DataType } from '../api/config';

/** Every type that lives in registers (all but a coil or discrete-input bool). */
export type RegisterType = Exclude<DataType, 'bool'>;

/** Integer types whose raw values are exact in a JS number (at most 32 bits). */
export type SmallIntegerType = 'int16' | 'uint16' | 'int32' | 'uint32';
export type WideIntegerType = 'int64' | 'uint64';

/**
 * Registers a register-backed type spans; `string` takes its `length`. A bool is
 * one bit (of a coil, an input or a register) and counts 1.
 */
export function registerCount(type: DataType, length?: number): number {
  if (type === 'bool') return 1;
  if (type === 'string') {
    if (length === undefined) throw new RangeError('a string tag needs a length in registers');
    return length;
  }
  return REGISTERS_PER_TYPE[type];
}

export const TYPE_RANGES: Record<SmallIntegerType, { min: number; max: number }> = {
  int16: { min: -0x8000, max: 0x7fff },
  uint16: { min: 0, max: 0xffff },
  int32: { min: -0x80000000, max: 0x7fffffff },
  uint32: { min: 0, max: 0xffffffff },
};

export const WIDE_RANGES: Record<WideIntegerType, { min: bigint; max: bigint }> = {
  int64: { min: -(1n << 63n), max: (1n << 63n) - 1n },
  uint64: { min: 0n, max: (1n << 64n) - 1n },
};

/** Largest value each BCD type holds: four decimal digits per register. */
export const BCD_MAX: Record<'bcd16' | 'bcd32', number> = { bcd16: 9999, bcd32: 99_999_999 };

export function isSmallInteger(type: DataType): type is SmallIntegerType {
  return type === 'int16' || type === 'uint16' || type === 'int32' || type === 'uint32';
}

export function isWideInteger(type: DataType): type is WideIntegerType {
  return type === 'int64' || type === 'uint64';
}

export function isFloat(type: DataType): type is 'float32' | 'float64' {
  return type === 'float32' || type === 'float64';
}

export function isBcd(type: DataType): type is 'bcd16' | 'bcd32' {
  return type === 'bcd16' || type === 'bcd32';
}
