/**
 * Byte and word order of multi-register values, as Buffers for the gateway's
 * encode side. The rules (ABCD, CDAB, BADC, DCBA, and their 64-bit extension) live
 * in the contract's Buffer-free core, api/codec/registerCodec.ts; these are thin Buffer wrappers.
 */
import type { WordOrder } from '../api/config';
import { bytesToWords, reorder, swapsBytes, swapsWords, wordsToBytes } from '../api/codec/registerCodec';

export { swapsBytes, swapsWords };

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Registers as they travel, one 16-bit value each, high byte first. */
export function registersToBytes(registers: readonly number[]): Buffer {
  return asBuffer(wordsToBytes(registers));
}

export function bytesToRegisters(bytes: Buffer): number[] {
  return bytesToWords(bytes);
}

/** Reorder 2, 4 or 8 bytes between wire order and big-endian (ABCD…). */
export function reorderBytes(bytes: Buffer, order: WordOrder): Buffer {
  return asBuffer(reorder(bytes, order));
}
