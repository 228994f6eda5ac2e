/**
 * Byte and word order of multi-register values. Bytes A (most significant) to D are
 * named by where they land on the wire, register by register, high byte first:
 *
 *   ABCD  [A B][C D]   big-endian, the Modbus default
 *   CDAB  [C D][A B]   words swapped ("little-endian word order")
 *   BADC  [B A][D C]   bytes swapped in each word
 *   DCBA  [D C][B A]   fully little-endian
 *
 * Each reordering is its own inverse, so one function serves decode and encode.
 * A 16-bit value has only bytes A and B: BADC and DCBA swap them, ABCD and CDAB don't.
 */
import type { WordOrder } from '../api/config';

/** Registers as they travel, one 16-bit value each, high byte first. */
export function registersToBytes(registers: readonly number[]): Buffer {
  const bytes = Buffer.alloc(registers.length * 2);
  registers.forEach((value, index) => bytes.writeUInt16BE(value & 0xffff, index * 2));
  return bytes;
}

export function bytesToRegisters(bytes: Buffer): number[] {
  const registers: number[] = [];
  for (let index = 0; index + 1 < bytes.length; index += 2) registers.push(bytes.readUInt16BE(index));
  return registers;
}

/** Reorder 2 or 4 bytes between wire order and ABCD (big-endian). */
export function reorderBytes(bytes: Buffer, order: WordOrder): Buffer {
  const swapBytes = order === 'BADC' || order === 'DCBA';
  const swapWords = (order === 'CDAB' || order === 'DCBA') && bytes.length === 4;
  const out = Buffer.alloc(bytes.length);
  for (let index = 0; index < bytes.length; index++) {
    let source = index;
    if (swapWords) source ^= 2;
    if (swapBytes) source ^= 1;
    out[index] = bytes[source];
  }
  return out;
}
