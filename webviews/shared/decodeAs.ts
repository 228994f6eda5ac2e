/**
 * "Decode as…": one block of registers read in every type and all four byte orders
 * side by side, so a user finds the device's real encoding at a glance.
 *
 * Pure and DOM-free (unit-tested under mocha, run in the webview). It mirrors the
 * gateway's rules in gateway/tags (wordOrder.ts, decode.ts), which a webview cannot
 * import: they use Node's Buffer. TODO(lead): unify, e.g. a Buffer-free decoder in
 * gateway/tags that both import, or a `tags.decodeAs` channel method.
 *
 * Byte orders name where bytes A (most significant) … land on the wire, register by
 * register, high byte first (see WordOrder in gateway/api/config.ts): CDAB reverses
 * the registers (for 64 bits: GHEFCDAB), BADC swaps the bytes in each register,
 * DCBA does both. Float bits are reinterpreted, never converted numerically.
 */
import type { WordOrder } from '../../gateway/api/config';

export const WORD_ORDERS: readonly WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

export const DECODE_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'string'] as const;
export type DecodeType = (typeof DECODE_TYPES)[number];

const WIDTH: Record<Exclude<DecodeType, 'string'>, number> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  int64: 4,
  uint64: 4,
  float64: 4,
};

export interface DecodeRow {
  type: DecodeType;
  /** Text per byte order; undefined when the block is too short for the type. */
  values: Record<WordOrder, string | undefined>;
}

/** Wire registers → big-endian bytes for the given order. */
export function orderedBytes(registers: readonly number[], order: WordOrder): Uint8Array {
  const swapWords = order === 'CDAB' || order === 'DCBA';
  const swapBytes = order === 'BADC' || order === 'DCBA';
  const words = swapWords ? [...registers].reverse() : registers;
  const bytes = new Uint8Array(words.length * 2);
  words.forEach((word, index) => {
    const high = (word >> 8) & 0xff;
    const low = word & 0xff;
    bytes[index * 2] = swapBytes ? low : high;
    bytes[index * 2 + 1] = swapBytes ? high : low;
  });
  return bytes;
}

/** The shortest decimal that reads back as the same float32 (3.1415927, not 3.1415927410125732). */
export function shortestFloat32(value: number): string {
  if (!Number.isFinite(value) || value === 0) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

export function decodeAs(type: DecodeType, order: WordOrder, registers: readonly number[]): string | undefined {
  if (type === 'string') return decodeString(order, registers);
  const width = WIDTH[type];
  if (registers.length < width) return undefined;
  const bytes = orderedBytes(registers.slice(0, width), order);
  const view = new DataView(bytes.buffer);
  switch (type) {
    case 'int16':
      return String(view.getInt16(0));
    case 'uint16':
      return String(view.getUint16(0));
    case 'int32':
      return String(view.getInt32(0));
    case 'uint32':
      return String(view.getUint32(0));
    case 'float32':
      return shortestFloat32(view.getFloat32(0));
    case 'int64':
      return view.getBigInt64(0).toString();
    case 'uint64':
      return view.getBigUint64(0).toString();
    case 'float64':
      return String(view.getFloat64(0));
  }
}

/** Two characters a register; a word swap makes no sense for text, so CDAB/DCBA reverse registers like the numbers do. */
function decodeString(order: WordOrder, registers: readonly number[]): string | undefined {
  if (registers.length === 0) return undefined;
  let text = '';
  for (const byte of orderedBytes(registers, order)) {
    if (byte === 0) break;
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
  }
  return JSON.stringify(text);
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
