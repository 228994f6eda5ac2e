/**
 * Values to registers: the inverse of decode.ts, for writes and for the simulator.
 * Refuses a value the type cannot hold (TagEncodeError, saying what was expected)
 * rather than wrapping it silently: 70000 into a uint16 must not write 4464.
 */
import type { DataType, WordOrder } from '../api/config';
import {
  BCD_MAX,
  TYPE_RANGES,
  WIDE_RANGES,
  isFloat,
  isSmallInteger,
  isWideInteger,
  registerCount,
  type RegisterType,
} from './dataTypes';
import type { RawValue } from './decode';
import { bytesToRegisters, reorderBytes, swapsBytes } from './wordOrder';

export class TagEncodeError extends RangeError {
  constructor(
    message: string,
    /** What would have been accepted, in words: "an integer in 0..65535". */
    readonly expected: string,
  ) {
    super(message);
    this.name = 'TagEncodeError';
  }
}

/** Encode a raw value (after scale and offset were removed) into registers in wire order. */
export function encodeRaw(type: RegisterType, order: WordOrder, raw: RawValue, length?: number): number[] {
  if (type === 'string') return encodeString(String(raw), order, registerCount(type, length));
  const bytes = Buffer.alloc(registerCount(type) * 2);
  if (isWideInteger(type)) {
    const big = toBigInt(raw, type);
    const range = WIDE_RANGES[type];
    if (big < range.min || big > range.max) throw outOfRange(String(raw), type, integerRange(range.min, range.max));
    if (type === 'int64') bytes.writeBigInt64BE(big, 0);
    else bytes.writeBigUInt64BE(big, 0);
    return bytesToRegisters(reorderBytes(bytes, order));
  }
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (Number.isNaN(value) && !isFloat(type)) throw outOfRange(String(raw), type, 'a number');
  if (isSmallInteger(type)) {
    const range = TYPE_RANGES[type];
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      throw outOfRange(String(raw), type, integerRange(range.min, range.max));
    }
  }
  switch (type) {
    case 'uint16':
      bytes.writeUInt16BE(value, 0);
      break;
    case 'int16':
      bytes.writeInt16BE(value, 0);
      break;
    case 'uint32':
      bytes.writeUInt32BE(value, 0);
      break;
    case 'int32':
      bytes.writeInt32BE(value, 0);
      break;
    case 'float32':
      if (Number.isFinite(value) && Math.abs(value) > 3.4028234663852886e38) {
        throw outOfRange(String(raw), type, 'a number within ±3.4028235e38');
      }
      bytes.writeFloatBE(value, 0);
      break;
    case 'float64':
      bytes.writeDoubleBE(value, 0);
      break;
    case 'bcd16':
    case 'bcd32':
      encodeBcd(value, type, bytes);
      break;
  }
  return bytesToRegisters(reorderBytes(bytes, order));
}

/** The numeric encode older callers use (the simulator's setValue). */
export function encodeRegisters(type: RegisterType, order: WordOrder, value: RawValue, length?: number): number[] {
  return encodeRaw(type, order, value, length);
}

function toBigInt(raw: RawValue, type: DataType): bigint {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) throw outOfRange(String(raw), type, 'an integer');
    return BigInt(raw);
  }
  if (!/^\s*-?\d+\s*$/.test(raw)) throw outOfRange(JSON.stringify(raw), type, 'an integer written in decimal digits');
  return BigInt(raw.trim());
}

function encodeBcd(value: number, type: 'bcd16' | 'bcd32', bytes: Buffer): void {
  if (!Number.isInteger(value) || value < 0 || value > BCD_MAX[type]) {
    throw outOfRange(String(value), type, integerRange(0, BCD_MAX[type]));
  }
  const digits = String(value).padStart(bytes.length * 2, '0');
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = (Number(digits[index * 2]) << 4) | Number(digits[index * 2 + 1]);
  }
}

/** Two ASCII characters per register, first in the high byte; padded with NULs. */
function encodeString(text: string, order: WordOrder, registers: number): number[] {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new TagEncodeError(`${JSON.stringify(text)} has characters outside printable ASCII`, 'printable ASCII text');
  }
  if (text.length > registers * 2) {
    throw new TagEncodeError(
      `${JSON.stringify(text)} has ${text.length} characters; the string holds ${registers * 2}`,
      `at most ${registers * 2} characters`,
    );
  }
  const bytes = Buffer.alloc(registers * 2);
  bytes.write(text, 'latin1');
  if (swapsBytes(order)) bytes.swap16();
  return bytesToRegisters(bytes);
}

/** "an integer 0–65535": the range as a person writes it (en dash, no `..`). */
function integerRange(min: number | bigint, max: number | bigint): string {
  return `an integer ${min}–${max}`;
}

/** "70000 does not fit uint16 (an integer 0–65535)": the value, the type and what it holds. */
function outOfRange(shown: string, type: DataType, expected: string): TagEncodeError {
  return new TagEncodeError(`${shown} does not fit ${type} (${expected})`, expected);
}

/**
 * raw = (value − offset) / scale: the inverse of applyScale. Integer types round to
 * the nearest step (21.5 with scale 0.1 writes 215); text and 64-bit decimals given
 * as text pass through exactly when scale and offset are integers.
 */
export function removeScale(value: number | string, scale: number, offset: number, type: DataType): RawValue {
  if (type === 'string') return String(value);
  if (scale === 0) throw new TagEncodeError('a tag with scale 0 cannot be written', 'a tag with a non-zero scale');
  if (scale === 1 && offset === 0) return value;
  if (typeof value === 'string') {
    if (isWideInteger(type) && Number.isInteger(scale) && Number.isInteger(offset)) {
      const shifted = toBigInt(value, type) - BigInt(offset);
      if (shifted % BigInt(scale) !== 0n) {
        throw new TagEncodeError(`${value} is not reachable with scale ${scale} and offset ${offset}`, `offset + a multiple of ${scale}`);
      }
      return shifted / BigInt(scale);
    }
    value = Number(value);
    if (Number.isNaN(value)) throw new TagEncodeError(`${JSON.stringify(value)} is not a number`, 'a number');
  }
  const raw = (value - offset) / scale;
  if (isFloat(type)) return raw;
  // 21.5 / 0.1 is 214.99999999999997 in binary; the device's integer is 215.
  return Math.round(raw);
}

/** Set or clear one bit of a register, for bool tags that live in a register. */
export function withRegisterBit(register: number, bit: number, value: boolean): number {
  return value ? (register | (1 << bit)) & 0xffff : register & ~(1 << bit) & 0xffff;
}
