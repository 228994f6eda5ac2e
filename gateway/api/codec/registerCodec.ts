/**
 * The one decode core: Modbus registers (16-bit words as they travel) to typed
 * values, in the four byte/word orders. Part of the contract, and pure: no Node
 * built-ins, no Buffer (Uint8Array, DataView, BigInt for 64 bits), no imports at all,
 * so the gateway (tags/decode.ts, tags/wordOrder.ts), the contract's own schema
 * (config.ts takes its word orders and widths from here) and the browser bundles of
 * the webviews ("decode as…", the Registers view) share one decoder.
 *
 * Bytes A (most significant) to D are named by where they land on the wire,
 * register by register, high byte first:
 *
 *   ABCD  [A B][C D]   big-endian, the Modbus default
 *   CDAB  [C D][A B]   words swapped ("little-endian word order")
 *   BADC  [B A][D C]   bytes swapped in each word
 *   DCBA  [D C][B A]   fully little-endian
 *
 * For 64-bit values the rule extends to eight bytes A..H: CDAB reverses the order
 * of the four words (GH EF CD AB), BADC swaps the bytes inside each word
 * (BA DC FE HG), DCBA does both (HG FE DC BA, fully little-endian). Each reordering
 * is its own inverse. A 16-bit value has only bytes A and B: BADC and DCBA swap
 * them, ABCD and CDAB don't.
 *
 * Floats are a reinterpretation of the bytes' bits, never a numeric conversion:
 * 0x4049 0x0FDB in ABCD is 3.1415927.
 */
/** The four orders, the Modbus default first; config.ts builds its schema enum from this list. */
export const WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

/** Register-backed types of a fixed width (all but bool and string). */
export type NumericType = 'int16' | 'uint16' | 'bcd16' | 'int32' | 'uint32' | 'float32' | 'bcd32' | 'int64' | 'uint64' | 'float64';

/** Registers each fixed-width type occupies. */
export const REGISTER_WIDTHS: Readonly<Record<NumericType, number>> = {
  int16: 1,
  uint16: 1,
  bcd16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  bcd32: 2,
  int64: 4,
  uint64: 4,
  float64: 4,
};

/** Registers that do not hold a value of the tag's type (a BCD nibble above 9). */
export class TagDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagDecodeError';
  }
}

/** Does this order swap the two bytes inside each register? */
export function swapsBytes(order: WordOrder): boolean {
  return order === 'BADC' || order === 'DCBA';
}

/** Does this order reverse the sequence of registers? */
export function swapsWords(order: WordOrder): boolean {
  return order === 'CDAB' || order === 'DCBA';
}

/** Registers as they travel, one 16-bit value each, high byte first. */
export function wordsToBytes(registers: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(registers.length * 2);
  registers.forEach((value, index) => {
    bytes[index * 2] = (value >> 8) & 0xff;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** Bytes back to registers, high byte first; an odd last byte is ignored. */
export function bytesToWords(bytes: Uint8Array): number[] {
  const registers: number[] = [];
  for (let index = 0; index + 1 < bytes.length; index += 2) registers.push((bytes[index] << 8) | bytes[index + 1]);
  return registers;
}

/** Reorder 2, 4 or 8 bytes between wire order and big-endian (ABCD…); a new array. */
export function reorder(bytes: Uint8Array, order: WordOrder): Uint8Array {
  const words = bytes.length >> 1;
  const reverseWords = swapsWords(order);
  const swapInWord = swapsBytes(order);
  const out = new Uint8Array(bytes.length);
  for (let word = 0; word < words; word++) {
    const sourceWord = reverseWords ? words - 1 - word : word;
    const high = bytes[sourceWord * 2];
    const low = bytes[sourceWord * 2 + 1];
    out[word * 2] = swapInWord ? low : high;
    out[word * 2 + 1] = swapInWord ? high : low;
  }
  return out;
}

/** Wire registers → big-endian bytes for the given order. */
export function orderedBytes(registers: readonly number[], order: WordOrder): Uint8Array {
  return reorder(wordsToBytes(registers), order);
}

/**
 * Decode a fixed-width type from the registers as read (wire order); extra
 * registers are ignored. 64-bit integers are BigInt so 2^64−1 stays exact; float32
 * is the shortest decimal with the same bits (see shortestFloat32).
 */
export function decodeNumeric(type: NumericType, order: WordOrder, registers: readonly number[]): number | bigint {
  const width = REGISTER_WIDTHS[type];
  if (registers.length < width) throw new RangeError(`${type} needs ${width} registers, got ${registers.length}`);
  const words = registers.slice(0, width);
  const bytes = orderedBytes(words, order);
  if (type === 'bcd16' || type === 'bcd32') return decodeBcd(bytes, words);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'uint16':
      return view.getUint16(0);
    case 'int16':
      return view.getInt16(0);
    case 'uint32':
      return view.getUint32(0);
    case 'int32':
      return view.getInt32(0);
    case 'uint64':
      return view.getBigUint64(0);
    case 'int64':
      return view.getBigInt64(0);
    case 'float32':
      return shortestFloat32(view.getFloat32(0));
    case 'float64':
      return view.getFloat64(0);
  }
}

/**
 * Two ASCII characters per register, the first in the high byte (BADC and DCBA
 * devices put it in the low byte; word order does not apply to text). Bytes read as
 * latin1; trailing NULs and spaces are padding, not content.
 */
export function decodeText(registers: readonly number[], order: WordOrder): string {
  const bytes = wordsToBytes(registers);
  if (swapsBytes(order)) {
    for (let index = 0; index + 1 < bytes.length; index += 2) {
      const high = bytes[index];
      bytes[index] = bytes[index + 1];
      bytes[index + 1] = high;
    }
  }
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text.replace(/[\0 ]+$/, '');
}

/** Four decimal digits per register, most significant nibble first (after reordering). */
function decodeBcd(bytes: Uint8Array, wire: readonly number[]): number {
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
