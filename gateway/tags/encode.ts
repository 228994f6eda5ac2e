/**
 * Numbers to registers: the inverse of decode.ts, for the simulator and for writes.
 * Throws RangeError for a value the type cannot hold rather than wrapping silently.
 */
import type { DataType, WordOrder } from '../api/config';
import { TYPE_RANGES } from './dataTypes';
import { bytesToRegisters, reorderBytes } from './wordOrder';

export function encodeRegisters(type: Exclude<DataType, 'bool'>, order: WordOrder, value: number): number[] {
  if (type !== 'float32') {
    const range = TYPE_RANGES[type];
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      throw new RangeError(`${value} does not fit ${type} (${range.min}..${range.max})`);
    }
  }
  const bytes = Buffer.alloc(type === 'int16' || type === 'uint16' ? 2 : 4);
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
      bytes.writeFloatBE(value, 0);
      break;
  }
  return bytesToRegisters(reorderBytes(bytes, order));
}

/** raw = (value − offset) / scale, rounded to the integer types' grid. */
export function removeScale(value: number, scale: number, offset: number, type: DataType): number {
  if (scale === 0) throw new RangeError('a tag with scale 0 cannot be written');
  const raw = (value - offset) / scale;
  return type === 'float32' ? raw : Math.round(raw);
}

/** Set or clear one bit of a register, for bool tags that live in a register. */
export function withRegisterBit(register: number, bit: number, value: boolean): number {
  return value ? (register | (1 << bit)) & 0xffff : register & ~(1 << bit) & 0xffff;
}
