/**
 * Registers and bits to values, on top of the contract's Buffer-free core, api/codec/registerCodec.ts.
 * Floats are a reinterpretation of the bytes' bits, never a numeric conversion: the Go gateway this
 * project replaces cast the 32-bit integer to a float, which made every float wrong.
 * 64-bit integers decode to BigInt so 2^64−1 stays exact; strings to text.
 */
import type { WordOrder } from '../api/config';
import { registerCount, type RegisterType } from './dataTypes';
import { decodeNumeric, decodeText, shortestFloat32, TagDecodeError } from '../api/codec/registerCodec';

export { shortestFloat32, TagDecodeError };

/** A value as the device holds it, before scale and offset. */
export type RawValue = number | bigint | string;

/**
 * Decode a register-backed type from the registers as read (wire order). `length`
 * is the register count of a string; other types know their own width.
 */
export function decodeRaw(type: RegisterType, order: WordOrder, registers: readonly number[], length?: number): RawValue {
  const width = registerCount(type, length);
  if (registers.length < width) throw new RangeError(`${type} needs ${width} registers, got ${registers.length}`);
  if (type === 'string') return decodeText(registers.slice(0, width), order);
  return decodeNumeric(type, order, registers);
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
