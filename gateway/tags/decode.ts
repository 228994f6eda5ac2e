/**
 * Registers and bits to numbers. float32 is a reinterpretation of the four bytes'
 * bits (readFloatBE), never a numeric conversion: the Go gateway this project
 * replaces cast the 32-bit integer to a float, which made every float wrong.
 */
import type { DataType, WordOrder } from '../api/config';
import { registersToBytes, reorderBytes } from './wordOrder';

/** Decode a register-backed numeric type from the registers as read (wire order). */
export function decodeRegisters(type: Exclude<DataType, 'bool'>, order: WordOrder, registers: readonly number[]): number {
  const width = type === 'int16' || type === 'uint16' ? 1 : 2;
  if (registers.length < width) throw new RangeError(`${type} needs ${width} registers, got ${registers.length}`);
  const bytes = reorderBytes(registersToBytes(registers.slice(0, width)), order);
  switch (type) {
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'float32':
      return shortestFloat32(bytes.readFloatBE(0));
  }
}

/**
 * The shortest decimal that reads back as the same float32: 3.1415927 rather than
 * 3.1415927410125732, which is the same bits printed with double precision and
 * would suggest digits the device never had.
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/** A bit inside a register; bit 0 is the least significant. */
export function decodeRegisterBit(register: number, bit: number): boolean {
  return ((register >> bit) & 1) === 1;
}

/**
 * value = raw × scale + offset. Rounded to 15 significant digits because decimal
 * scales are not exact in binary: 215 × 0.1 is 21.500000000000004 otherwise.
 */
export function applyScale(raw: number, scale: number, offset: number): number {
  if (scale === 1 && offset === 0) return raw;
  return Number((raw * scale + offset).toPrecision(15));
}
