/**
 * The address forms users type, parsed into a table and a zero-based offset.
 *
 * Lives in the contract (not in `tags/`) because the config schema validates
 * addresses and the extension shows parse errors while the user edits
 * `bifrost.json`; both must agree on one grammar.
 *
 * Accepted forms:
 *   - table plus offset: `HR:0`, `IR:7`, `CO:12`, `DI:3` (offsets are zero-based,
 *     the protocol's own numbering)
 *   - a bit inside a register: `HR:10.3` (bit 0 is the least significant)
 *   - Modicon: `40001`, `400001`, `30001`, `10001`, `1` (always one-based, as the
 *     convention defines them)
 */

export type RegisterTable = 'coil' | 'discreteInput' | 'inputRegister' | 'holdingRegister';

export interface ParsedAddress {
  table: RegisterTable;
  /** Zero-based protocol address, 0..65535. */
  offset: number;
  /** Bit inside a 16-bit register, 0..15, for the `HR:10.3` form. */
  bit?: number;
  /**
   * How it was written. A device's `addressBase` applies to the table form only:
   * Modicon numbers are one-based by definition and already converted.
   */
  form?: 'table' | 'modicon';
}

const TABLE_PREFIX: Record<string, RegisterTable> = {
  HR: 'holdingRegister',
  IR: 'inputRegister',
  CO: 'coil',
  DI: 'discreteInput',
};

export const TABLE_SHORT_NAME: Record<RegisterTable, string> = {
  holdingRegister: 'HR',
  inputRegister: 'IR',
  coil: 'CO',
  discreteInput: 'DI',
};

const MODICON_TABLE: Record<string, RegisterTable> = {
  '0': 'coil',
  '1': 'discreteInput',
  '3': 'inputRegister',
  '4': 'holdingRegister',
};

export type AddressParseResult = { ok: true; address: ParsedAddress } | { ok: false; error: string };

export function parseAddress(text: string): AddressParseResult {
  const trimmed = text.trim();
  const prefixed = /^([A-Za-z]{2}):(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (prefixed) {
    const table = TABLE_PREFIX[prefixed[1].toUpperCase()];
    if (!table) {
      return { ok: false, error: `unknown table "${prefixed[1]}" in "${text}": expected HR, IR, CO or DI` };
    }
    const offset = Number(prefixed[2]);
    if (offset > 65535) {
      return { ok: false, error: `offset ${offset} in "${text}" is beyond 65535` };
    }
    if (prefixed[3] === undefined) return { ok: true, address: { table, offset, form: 'table' } };
    const bit = Number(prefixed[3]);
    if (table !== 'holdingRegister' && table !== 'inputRegister') {
      return { ok: false, error: `a bit index needs a register table (HR or IR), not ${prefixed[1]} in "${text}"` };
    }
    if (bit > 15) return { ok: false, error: `bit ${bit} in "${text}" is beyond 15` };
    return { ok: true, address: { table, offset, bit, form: 'table' } };
  }
  if (/^\d+$/.test(trimmed)) return parseModicon(trimmed, text);
  return {
    ok: false,
    error: `cannot read address "${text}": expected a table and offset like HR:0, a bit like HR:10.3, or a Modicon number like 40001`,
  };
}

function parseModicon(digits: string, original: string): AddressParseResult {
  // Five digits (40001) and six digits (400001) are the two Modicon widths; shorter
  // numbers are coils (table 0, written without leading zeros: `1` is coil 1).
  if (digits.length < 5) {
    const oneBased = Number(digits);
    if (oneBased < 1) return { ok: false, error: `Modicon address "${original}" is zero; they start at 1` };
    return { ok: true, address: { table: 'coil', offset: oneBased - 1, form: 'modicon' } };
  }
  if (digits.length > 6) return { ok: false, error: `Modicon address "${original}" has more than six digits` };
  const table = MODICON_TABLE[digits[0]];
  if (!table) {
    return { ok: false, error: `Modicon address "${original}" starts with ${digits[0]}: expected 0, 1, 3 or 4` };
  }
  const oneBased = Number(digits.slice(1));
  if (oneBased < 1) return { ok: false, error: `Modicon address "${original}" has offset 0; they start at 1` };
  if (oneBased > 65536) return { ok: false, error: `Modicon address "${original}" is beyond 65536` };
  return { ok: true, address: { table, offset: oneBased - 1, form: 'modicon' } };
}

export function formatAddress(address: ParsedAddress): string {
  const base = `${TABLE_SHORT_NAME[address.table]}:${address.offset}`;
  return address.bit === undefined ? base : `${base}.${address.bit}`;
}
