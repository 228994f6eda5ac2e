/**
 * Registers and bits to values. Floats are a reinterpretation of the bytes' bits
 * (readFloatBE / readDoubleBE), never a numeric conversion: the Go gateway this
 * project replaces cast the 32-bit integer to a float, which made every float wrong.
 * 64-bit integers decode to BigInt so 2^64−1 stays exact; strings to text.
 */
import type { WordOrder } from '../api/config';
import { isBcd, registerCount, type RegisterType } from './dataTypes';
import { registersToBytes, reorderBytes, swapsBytes } from './wordOrder';

/** A value as the device holds it, before scale and offset. */
export type RawValue = number | bigint | string;

/** Registers that do not hold a value of the tag's type (a BCD nibble above 9). */
export class TagDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagDecodeError';
  }
}

/**
 * Decode a register-backed type from the registers as read (wire order). `length`
 * is the register count of a string; other types know their own width.
 */
export function decodeRaw(type: RegisterType, order: WordOrder, registers: readonly number[], length?: number): RawValue {
  const width = registerCount(type, length);
  if (registers.length < width) throw new RangeError(`${type} needs ${width} registers, got ${registers.length}`);
  const words = registers.slice(0, width);
  if (type === 'string') return decodeString(words, order);
  const bytes = reorderBytes(registersToBytes(words), order);
  if (isBcd(type)) return decodeBcd(bytes, words);
  switch (type) {
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint64':
      return bytes.readBigUInt64BE(0);
    case 'int64':
      return bytes.readBigInt64BE(0);
    case 'float32':
      return shortestFloat32(bytes.readFloatBE(0));
    case 'float64':
      return bytes.readDoubleBE(0);
  }
}

/**
 * The numeric decode older callers use (simulator tests, the poller before 64-bit
 * types): a 64-bit integer comes back as the nearest number. Strings have no number.
 */
export function decodeRegisters(type: RegisterType, order: WordOrder, registers: readonly number[]): number {
  const raw = decodeRaw(type, order, registers);
  if (typeof raw === 'string') throw new TypeError('a string has no numeric value; use decodeRaw');
  return Number(raw);
}

/**
 * Two ASCII characters per register, the first in the high byte (BADC and DCBA
 * devices put it in the low byte; word order does not apply to text). Trailing
 * NULs and spaces are padding, not content.
 */
function decodeString(registers: readonly number[], order: WordOrder): string {
  const bytes = registersToBytes(registers);
  if (swapsBytes(order)) bytes.swap16();
  return bytes.toString('latin1').replace(/[\0 ]+$/, '');
}

/** Four decimal digits per register, most significant nibble first (after reordering). */
function decodeBcd(bytes: Buffer, wire: readonly number[]): number {
  let value = 0;
  for (let index = 0; index < bytes.length * 2; index++) {
    const byte = bytes[index >> 1];
    const nibble = index % 2 === 0 ? byte >> 4 : byte & 0x0f;
    if (nibble > 9) {
      const hex = wire.map((word) => `0x${word.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
      throw new TagDecodeError(`${hex} is not BCD: digit ${index + 1} is 0x${nibble.toString(16).toUpperCase()}, expected 0–9`);
    }
    value = value * 10 + nibble;
  }
  return value;
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

/**
 * What a channel TagValue carries: `value` a number (or null for text), and `text`
 * for what a number cannot hold exactly — a 64-bit integer's exact decimal, or the
 * characters of a string tag.
 */
export interface ScaledValue {
  value: number | null;
  text?: string;
}

export function scaleRaw(raw: RawValue, scale: number, offset: number): ScaledValue {
  if (typeof raw === 'string') return { value: null, text: raw };
  if (typeof raw === 'bigint') {
    // Integer scale and offset keep the result exact; a fractional scale makes it approximate anyway.
    if (Number.isInteger(scale) && Number.isInteger(offset)) {
      const exact = raw * BigInt(scale) + BigInt(offset);
      return { value: Number(exact), text: exact.toString() };
    }
    return { value: applyScale(Number(raw), scale, offset) };
  }
  return { value: applyScale(raw, scale, offset) };
}
