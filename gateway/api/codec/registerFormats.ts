/**
 * How the Registers view shows a row and reads what is typed into one: the display
 * formats (unsigned, signed, hex, binary, ASCII, BCD, and the 32- and 64-bit types
 * over two or four rows in each word order), the start addresses people type, and
 * the tag a row becomes. Pure and DOM-free: the webview bundle and the extension
 * both import it. Decoding is the gateway's own, from the contract's pure decode
 * core (registerCodec.ts beside this file).
 */
import { parseAddress, type RegisterTable } from '../address';
import { decodeNumeric, WORD_ORDERS, type NumericType, type WordOrder } from './registerCodec';

export { WORD_ORDERS };

export const FORMAT_KINDS = ['unsigned', 'signed', 'hex', 'binary', 'ascii', 'bcd', 'int32', 'uint32', 'float32', 'int64', 'float64'] as const;
export type FormatKind = (typeof FORMAT_KINDS)[number];

export interface RowFormat {
  kind: FormatKind;
  /** Word order of the multi-row kinds; ignored by the one-row kinds. */
  order: WordOrder;
}

export const DEFAULT_FORMAT: RowFormat = { kind: 'unsigned', order: 'ABCD' };

/** Rows a value of each kind spans. */
export const FORMAT_WIDTH: Readonly<Record<FormatKind, number>> = {
  unsigned: 1,
  signed: 1,
  hex: 1,
  binary: 1,
  ascii: 1,
  bcd: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  int64: 4,
  float64: 4,
};

/** The tag type a row shown in this format becomes (Add as tags, writes). */
export const FORMAT_TAG_TYPE: Readonly<Record<FormatKind, NumericType>> = {
  unsigned: 'uint16',
  signed: 'int16',
  hex: 'uint16',
  binary: 'uint16',
  ascii: 'uint16',
  bcd: 'bcd16',
  int32: 'int32',
  uint32: 'uint32',
  float32: 'float32',
  int64: 'int64',
  float64: 'float64',
};

export function formatLabel(format: RowFormat): string {
  return FORMAT_WIDTH[format.kind] > 1 ? `${format.kind} ${format.order}` : format.kind;
}

/** One row as the table shows it. */
export interface RowText {
  /** The value's text; '' on the rows a multi-row value continues onto. */
  text: string;
  /** For a continuation row: the row its value starts on. */
  partOf?: number;
  /** The rows' registers do not hold a value of the format (a BCD digit above 9), or one is missing. */
  invalid?: boolean;
}

function hex16(word: number): string {
  return `0x${word.toString(16).toUpperCase().padStart(4, '0')}`;
}

function asciiOf(word: number): string {
  const shown = (byte: number) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·');
  return `"${shown(word >> 8)}${shown(word & 0xff)}"`;
}

/** One value in a format, from the registers it spans; undefined when it cannot be shown. */
export function formatValue(format: RowFormat, words: readonly number[]): string | undefined {
  const width = FORMAT_WIDTH[format.kind];
  if (words.length < width) return undefined;
  const word = words[0];
  switch (format.kind) {
    case 'unsigned':
      return String(word);
    case 'signed':
      return String(word >= 0x8000 ? word - 0x10000 : word);
    case 'hex':
      return hex16(word);
    case 'binary':
      return word.toString(2).padStart(16, '0').replace(/(\d{4})(?=\d)/g, '$1 ');
    case 'ascii':
      return asciiOf(word);
    case 'bcd':
      return /^[0-9]{4}$/.test(word.toString(16).padStart(4, '0')) ? word.toString(16).padStart(4, '0').replace(/^0+(?=\d)/, '') : undefined;
    default:
      return String(decodeNumeric(FORMAT_TAG_TYPE[format.kind], format.order, words));
  }
}

/**
 * The rows of a range as text: row i's format decides how many rows its value spans;
 * those rows show nothing of their own. A missing register (a refused read) leaves
 * its row empty and makes the value that needs it invalid.
 */
export function renderRows(values: readonly (number | undefined)[], formatOf: (row: number) => RowFormat): RowText[] {
  const rows: RowText[] = [];
  for (let row = 0; row < values.length; ) {
    const format = formatOf(row);
    const width = Math.min(FORMAT_WIDTH[format.kind], values.length - row);
    const words = values.slice(row, row + FORMAT_WIDTH[format.kind]);
    const complete = words.length === FORMAT_WIDTH[format.kind] && words.every((word) => word !== undefined);
    const text = complete ? formatValue(format, words as number[]) : undefined;
    if (text !== undefined) rows.push({ text });
    else rows.push(values[row] === undefined ? { text: '' } : { text: '—', invalid: true });
    for (let next = 1; next < width; next++) rows.push({ text: '', partOf: row });
    row += Math.max(width, 1);
  }
  return rows;
}

export type StartParse = { ok: true; table: RegisterTable; offset: number } | { ok: false; error: string };

/**
 * A start address as typed: `HR:100` or `100` (in the device's base, in the table
 * chosen), or Modicon `40101` / `400101` (always one-based, and naming its table).
 */
export function parseStart(text: string, table: RegisterTable, addressBase: 0 | 1): StartParse {
  const trimmed = text.trim();
  if (/^\d{1,4}$/.test(trimmed)) return fromOffset(table, Number(trimmed), addressBase, trimmed);
  const parsed = parseAddress(trimmed);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  if (parsed.address.bit !== undefined) return { ok: false, error: `a range starts at a register, not a bit: "${trimmed}"` };
  if (parsed.address.form === 'modicon') return { ok: true, table: parsed.address.table, offset: parsed.address.offset };
  return fromOffset(parsed.address.table, parsed.address.offset, addressBase, trimmed);
}

function fromOffset(table: RegisterTable, offset: number, addressBase: 0 | 1, text: string): StartParse {
  if (addressBase === 1 && offset === 0) return { ok: false, error: `"${text}": this device numbers from 1, so the first address is 1` };
  const protocol = offset - addressBase;
  if (protocol > 0xffff) return { ok: false, error: `"${text}" is beyond the last address` };
  return { ok: true, table, offset: protocol };
}

/** The address a row is shown with, in the device's base: `HR:100` (base 0) or `HR:101` (base 1). */
export function rowAddress(table: RegisterTable, offset: number, addressBase: 0 | 1): string {
  const prefix = { holdingRegister: 'HR', inputRegister: 'IR', coil: 'CO', discreteInput: 'DI' }[table];
  return `${prefix}:${offset + addressBase}`;
}

export type TypedValue = { ok: true; value: number | string } | { ok: false; error: string };

/**
 * What is typed into a cell, read in the cell's format: `0x1F` or `1F` in hex,
 * `0101` in binary, two characters in ASCII, a decimal otherwise (64-bit integers as
 * exact text). Range checks are the gateway's, which knows the type's limits.
 */
export function parseTypedValue(format: RowFormat, text: string): TypedValue {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'enter a value' };
  switch (format.kind) {
    case 'hex': {
      const digits = trimmed.replace(/^0x/i, '');
      if (!/^[0-9a-f]{1,4}$/i.test(digits)) return { ok: false, error: `"${trimmed}" is not a 16-bit hex value (0x0000–0xFFFF)` };
      return { ok: true, value: parseInt(digits, 16) };
    }
    case 'binary': {
      const digits = trimmed.replace(/^0b/i, '').replace(/[\s_]/g, '');
      if (!/^[01]{1,16}$/.test(digits)) return { ok: false, error: `"${trimmed}" is not 16 binary digits` };
      return { ok: true, value: parseInt(digits, 2) };
    }
    case 'ascii': {
      const chars = trimmed.replace(/^"(.*)"$/, '$1');
      if (chars.length < 1 || chars.length > 2 || /[^\x20-\x7e]/.test(chars)) return { ok: false, error: 'enter one or two ASCII characters' };
      return { ok: true, value: (chars.charCodeAt(0) << 8) | (chars.length > 1 ? chars.charCodeAt(1) : 0x20) };
    }
    case 'int64':
      if (!/^-?\d+$/.test(trimmed)) return { ok: false, error: `"${trimmed}" is not a whole number` };
      return { ok: true, value: trimmed };
    default: {
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return { ok: false, error: `"${trimmed}" is not a number` };
      return { ok: true, value };
    }
  }
}
