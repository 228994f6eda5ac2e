/**
 * "Decode as…": one block of registers read in every type and all four byte orders
 * side by side, so a user finds the device's real encoding at a glance.
 *
 * Pure and DOM-free (unit-tested under mocha, run in the webview). The decode rules
 * are the gateway's own: gateway/tags/registerCodec.ts is Buffer-free and free of
 * zod, so the browser bundle imports it directly. This file only formats its
 * values for the table.
 */
import type { WordOrder } from '../../gateway/api/config';
import { decodeNumeric, decodeText, orderedBytes, REGISTER_WIDTHS, WORD_ORDERS } from '../../gateway/api/codec/registerCodec';

export { orderedBytes, WORD_ORDERS };

export const DECODE_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'string'] as const;
export type DecodeType = (typeof DECODE_TYPES)[number];

export interface DecodeRow {
  type: DecodeType;
  /** Text per byte order; undefined when the block is too short for the type. */
  values: Record<WordOrder, string | undefined>;
}

export function decodeAs(type: DecodeType, order: WordOrder, registers: readonly number[]): string | undefined {
  if (type === 'string') return decodeString(order, registers);
  if (registers.length < REGISTER_WIDTHS[type]) return undefined;
  return String(decodeNumeric(type, order, registers));
}

/**
 * Exactly what the gateway reads for a string tag of these registers in this order
 * (registerCodec's decodeText: BADC/DCBA swap the bytes in each register, no order
 * reverses the registers, trailing NULs and spaces are padding), quoted. Control
 * characters are shown escaped (\u0000) so none is invisible or cuts the text short.
 */
function decodeString(order: WordOrder, registers: readonly number[]): string | undefined {
  if (registers.length === 0) return undefined;
  return JSON.stringify(decodeText(registers, order)).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every type in every order, for the decode-as table. */
export function decodeBlock(registers: readonly number[]): DecodeRow[] {
  return DECODE_TYPES.map((type) => ({
    type,
    values: Object.fromEntries(WORD_ORDERS.map((order) => [order, decodeAs(type, order, registers)])) as DecodeRow['values'],
  }));
}

/**
 * Registers typed by a user: hex words separated by spaces or commas (`4049 0FDB`,
 * `0x4049,0x0fdb`); `#16457` for a decimal one. Returns an error text instead of
 * guessing when a word is not a 16-bit value.
 */
export function parseRegisters(text: string): { ok: true; registers: number[] } | { ok: false; error: string } {
  const tokens = text.split(/[\s,;]+/).filter((token) => token.length > 0);
  if (tokens.length === 0) return { ok: false, error: 'enter one or more registers' };
  const registers: number[] = [];
  for (const token of tokens) {
    const decimal = token.startsWith('#');
    const digits = decimal ? token.slice(1) : token.replace(/^0x/i, '');
    const valid = decimal ? /^\d{1,5}$/.test(digits) : /^[0-9a-f]{1,4}$/i.test(digits);
    const value = valid ? parseInt(digits, decimal ? 10 : 16) : NaN;
    if (!(value >= 0 && value <= 0xffff)) return { ok: false, error: `"${token}" is not a 16-bit register (hex, or #decimal)` };
    registers.push(value);
  }
  return { ok: true, registers };
}
