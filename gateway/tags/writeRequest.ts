/**
 * A value the user typed, turned into the one request that writes it: FC 5 for a
 * coil, FC 22 (mask write) for a bit inside a register so the other 15 bits are
 * untouched, FC 6 for a one-register value, FC 16 for wider ones. The value goes
 * through the tag's scale, offset, type and byte order in reverse.
 *
 * Many PLCs refuse FC 22. For them a register bit is written by read (FC 3) –
 * modify – write (FC 6): `request` is then the read, and `readModifyWrite` says
 * which bit to change before writing the word back.
 */
import { formatAddress } from '../api/address';
import { FunctionCode } from '../protocol/functionCodes';
import { LIMITS } from '../protocol/limits';
import type { ModbusRequest } from '../protocol/requests';
import { encodeRaw, removeScale, TagEncodeError } from './encode';
import type { ResolvedTag } from './resolve';

export type WriteValue = number | boolean | string;

/** A write the gateway will not send, with what it would have accepted. */
export class WriteRefusedError extends Error {
  constructor(
    readonly device: string,
    readonly tag: string,
    /** Protocol address, zero-based: `HR:10`; undefined when the tag has none (unknown, or its address is invalid). */
    readonly address: string | undefined,
    reason: string,
    readonly expected: string,
  ) {
    // The reason often states what was expected already ("70000 does not fit uint16 (an integer 0–65535)").
    super(`${device}: cannot write tag "${tag}"${address === undefined ? '' : ` at ${address}`}: ${reason}${reason.includes(expected) ? '' : `; expected ${expected}`}`);
    this.name = 'WriteRefusedError';
  }
}

/** How a bit inside a register goes to the device (the device's `bitWrite`, once `auto` is decided). */
export type BitWriteMethod = 'fc22' | 'readModifyWrite';

export interface ReadModifyWrite {
  /** Protocol address of the holding register. */
  address: number;
  bit: number;
  on: boolean;
}

export interface TagWrite {
  request: ModbusRequest;
  /** "write single register HR:10: uint16 1234 → 0x04D2". */
  description: string;
  /** Set when `request` is the read of a read-modify-write of one bit. */
  readModifyWrite?: ReadModifyWrite;
}

/** The register with `bit` set or cleared: the modify step of a read-modify-write. */
export function withBit(word: number, bit: number, on: boolean): number {
  const mask = 1 << bit;
  return (on ? word | mask : word & ~mask) & 0xffff;
}

export function encodeTagWrite(device: string, tag: ResolvedTag, value: WriteValue, bitWrite: BitWriteMethod = 'fc22'): TagWrite {
  const address = formatAddress({ table: tag.table, offset: tag.offset, bit: tag.bit });
  const refuse = (reason: string, expected: string) => new WriteRefusedError(device, tag.name, address, reason, expected);

  if (tag.table === 'discreteInput' || tag.table === 'inputRegister') {
    const what = tag.table === 'discreteInput' ? 'a discrete input' : 'an input register';
    throw refuse(`${what} is read-only by the protocol`, 'a coil (CO) or holding register (HR) tag');
  }
  if (tag.table === 'coil') {
    const on = toBoolean(value);
    if (on === undefined) throw refuse(`${JSON.stringify(value)} is not a coil state`, 'true/false, 1/0 or "on"/"off"');
    return {
      request: { functionCode: FunctionCode.WriteSingleCoil, address: tag.offset, value: on },
      description: `write single coil ${address}: ${on ? 'ON (0xFF00)' : 'OFF (0x0000)'}`,
    };
  }
  if (tag.bit !== undefined) {
    const on = toBoolean(value);
    if (on === undefined) throw refuse(`${JSON.stringify(value)} is not a bit state`, 'true/false or 1/0');
    if (bitWrite === 'readModifyWrite') {
      const register = formatAddress({ table: tag.table, offset: tag.offset });
      return {
        request: { functionCode: FunctionCode.ReadHoldingRegisters, address: tag.offset, quantity: 1 },
        description: `read, modify and write holding register ${register}: bit ${tag.bit} ${on ? 'set' : 'cleared'} (read with FC 3, write back with FC 6)`,
        readModifyWrite: { address: tag.offset, bit: tag.bit, on },
      };
    }
    const mask = 1 << tag.bit;
    const andMask = ~mask & 0xffff;
    const orMask = on ? mask : 0;
    return {
      request: { functionCode: FunctionCode.MaskWriteRegister, address: tag.offset, andMask, orMask },
      description: `mask write register ${address}: bit ${tag.bit} ${on ? 'set' : 'cleared'} (AND 0x${hex(andMask)}, OR 0x${hex(orMask)})`,
    };
  }
  if (tag.type === 'bool') throw refuse('a bool on a register needs a bit index', 'an address like HR:10.3');
  if (typeof value === 'boolean') throw refuse(`${value} is not a ${tag.type}`, tag.type === 'string' ? 'text' : 'a number');

  let registers: number[];
  try {
    const raw = removeScale(value, tag.scale, tag.valueOffset, tag.type);
    registers = encodeRaw(tag.type, tag.order, raw, tag.length);
  } catch (error) {
    if (error instanceof TagEncodeError) {
      const scaled = tag.scale !== 1 || tag.valueOffset !== 0 ? ` (after scale ${tag.scale} and offset ${tag.valueOffset})` : '';
      throw refuse(`${error.message}${scaled}`, error.expected);
    }
    throw error;
  }
  if (registers.length > LIMITS.writeRegisters) {
    throw refuse(`${registers.length} registers exceed one write`, `at most ${LIMITS.writeRegisters} registers`);
  }
  const words = registers.map((word) => `0x${hex(word)}`).join(' ');
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const order = registers.length > 1 || tag.order === 'BADC' || tag.order === 'DCBA' ? ` ${tag.order}` : '';
  if (registers.length === 1) {
    return {
      request: { functionCode: FunctionCode.WriteSingleRegister, address: tag.offset, value: registers[0] },
      description: `write single register ${address}: ${tag.type}${order} ${shown} → ${words}`,
    };
  }
  return {
    request: { functionCode: FunctionCode.WriteMultipleRegisters, address: tag.offset, values: registers },
    description: `write multiple registers ${address}–${tag.offset + registers.length - 1}: ${tag.type}${order} ${shown} → ${words}`,
  };
}

function toBoolean(value: WriteValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (['1', 'true', 'on'].includes(text)) return true;
    if (['0', 'false', 'off'].includes(text)) return false;
  }
  return undefined;
}

function hex(word: number): string {
  return word.toString(16).toUpperCase().padStart(4, '0');
}
