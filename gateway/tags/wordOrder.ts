/**
 * Byte and word order of multi-register values. Bytes A (most significant) to D are
 * named by where they land on the wire, register by register, high byte first:
 *
 *   ABCD  [A B][C D]   big-endian, the Modbus default
 *   CDAB  [C D][A B]   words swapped ("little-endian word order")
 *   BADC  [B A][D C]   bytes swapped in each word
 *   DCBA  [D C][B A]   fully little-endian
 *
 * For 64-bit values the rule extends to eight bytes A..H: CDAB reverses the order
 * of the four words (GH EF CD AB), BADC swaps the bytes inside each word
 * (BA DC FE HG), DCBA does both (HG FE DC BA, fully little-endian).
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

/** Does this order swap the two bytes inside each register? */
export function swapsBytes(order: WordOrder): boolean {
  return order === 'BADC' || order === 'DCBA';
}

/** Does this order reverse the sequence of registers? */
export function swapsWords(order: WordOrder): boolean {
  return order === 'CDAB' || order === 'DCBA';
}

/** Reorder 2, 4 or 8 bytes between wire order and big-endian (ABCD…). */
export function reorderBytes(bytes: Buffer, order: WordOrder): Buffer {
  const words = bytes.length >> 1;
  const reverseWords = swapsWords(order);
  const swapInWord = swapsBytes(order);
  const out = Buffer.alloc(bytes.length);
  for (let word = 0; word < words; word++) {
    const sourceWord = reverseWords ? words - 1 - word : word;
    const high = bytes[sourceWord * 2];
    const low = bytes[sourceWord * 2 + 1];
    out[word * 2] = swapInWord ? low : high;
    out[word * 2 + 1] = swapInWord ? high : low;
  }
  return out;
}
