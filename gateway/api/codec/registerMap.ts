/**
 * Register maps as vendors publish them (CSV or TSV, one register per row) to tags,
 * and tags back to the same format. Columns are found from the header by the words
 * vendors use ("Register", "Data type", "Word order", "Multiplier", "Units", "R/W"),
 * or chosen by the caller. Every row becomes a tag or a problem that names the row
 * and says why; nothing is dropped silently. Pure: the extension's import preview
 * and export, and the unit tests, import it.
 */
import type { z } from 'zod';
import { parseAddress } from '../address';
import { Tag, WordOrder, type DataType } from '../config';

export const MAP_FIELDS = ['name', 'address', 'type', 'order', 'scale', 'unit', 'access', 'length', 'description'] as const;
export type MapField = (typeof MAP_FIELDS)[number];
export type ColumnChoice = Partial<Record<MapField, number>>;

/** Header words per field, lower case, compared after dropping punctuation. */
const HEADER_WORDS: Record<MapField, string[]> = {
  name: ['name', 'tag', 'tag name', 'tagname', 'parameter', 'signal', 'variable', 'point', 'point name'],
  address: ['address', 'register', 'reg', 'addr', 'modbus address', 'register address', 'modbus register', 'offset', 'start address'],
  type: ['type', 'data type', 'datatype', 'format', 'data format', 'value type'],
  order: ['order', 'word order', 'byte order', 'endian', 'endianness', 'swap', 'word swap'],
  scale: ['scale', 'factor', 'multiplier', 'gain', 'scaling', 'scale factor', 'resolution'],
  unit: ['unit', 'units', 'uom', 'eng unit', 'engineering unit', 'engineering units'],
  access: ['access', 'rw', 'r w', 'read write', 'mode', 'permission'],
  length: ['length', 'size', 'registers', 'words', 'count', 'quantity'],
  description: ['description', 'desc', 'comment', 'remarks', 'notes'],
};

const TYPE_WORDS: Record<string, DataType> = {
  uint16: 'uint16', u16: 'uint16', word: 'uint16', unsigned: 'uint16', uint: 'uint16', ushort: 'uint16',
  int16: 'int16', s16: 'int16', i16: 'int16', short: 'int16', signed: 'int16', int: 'int16', integer: 'int16',
  uint32: 'uint32', u32: 'uint32', dword: 'uint32', udint: 'uint32', ulong: 'uint32',
  int32: 'int32', s32: 'int32', i32: 'int32', dint: 'int32', long: 'int32',
  uint64: 'uint64', u64: 'uint64', ulint: 'uint64', int64: 'int64', s64: 'int64', i64: 'int64', lint: 'int64',
  float: 'float32', float32: 'float32', real: 'float32', f32: 'float32', single: 'float32', ieee754: 'float32',
  double: 'float64', float64: 'float64', lreal: 'float64', f64: 'float64',
  bool: 'bool', bit: 'bool', boolean: 'bool', coil: 'bool',
  string: 'string', ascii: 'string', char: 'string', text: 'string',
  bcd: 'bcd16', bcd16: 'bcd16', bcd32: 'bcd32',
};

const ORDER_WORDS: Record<string, WordOrder> = {
  abcd: 'ABCD', big: 'ABCD', 'big endian': 'ABCD', be: 'ABCD', msw: 'ABCD', 'high word first': 'ABCD', normal: 'ABCD', '1234': 'ABCD',
  cdab: 'CDAB', 'word swap': 'CDAB', 'word swapped': 'CDAB', lsw: 'CDAB', 'low word first': 'CDAB', 'little endian word': 'CDAB', '3412': 'CDAB',
  badc: 'BADC', 'byte swap': 'BADC', 'byte swapped': 'BADC', '2143': 'BADC',
  dcba: 'DCBA', little: 'DCBA', 'little endian': 'DCBA', le: 'DCBA', '4321': 'DCBA',
};

const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Tab if the header has one, else whichever of `;` and `,` it has more of. */
export function detectDelimiter(text: string): '\t' | ',' | ';' {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  if (header.includes('\t')) return '\t';
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Rows of fields; quotes ("a, b" and "" for a quote) as spreadsheets write them. */
export function splitRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** Which column holds which field, from the header's words. */
export function guessColumns(header: readonly string[]): ColumnChoice {
  const choice: ColumnChoice = {};
  header.forEach((cell, index) => {
    const word = normal(cell);
    for (const field of MAP_FIELDS) {
      if (choice[field] === undefined && HEADER_WORDS[field].includes(word)) {
        choice[field] = index;
        return;
      }
    }
  });
  return choice;
}

export interface MapRowProblem {
  /** Line in the file, 1-based (the header is line 1). */
  line: number;
  name?: string;
  reason: string;
}

/** A tag as written in bifrost.json: defaults left out. */
export type TagInput = z.input<typeof Tag>;

export interface ImportedTag {
  line: number;
  tag: TagInput;
  /** As the file says: "R", "RW"; informative (writes are the table's business). */
  access?: string;
}

export interface MapParse {
  delimiter: string;
  header: string[];
  columns: ColumnChoice;
  tags: ImportedTag[];
  problems: MapRowProblem[];
}

export interface MapParseOptions {
  /** Override the guessed columns. */
  columns?: ColumnChoice;
  /** Names already taken on the device: a row with one of them is a problem, not a duplicate. */
  takenNames?: readonly string[];
}

/**
 * The register map's rows as tags. A bare register number below 10000 (`100`) is an
 * offset in the holding registers, as most maps mean it; Modicon numbers (`40101`)
 * and table forms (`IR:7`) say their own table.
 */
export function parseRegisterMap(text: string, options: MapParseOptions = {}): MapParse {
  const delimiter = detectDelimiter(text);
  const rows = splitRows(text.replace(/^\uFEFF/, ''), delimiter);
  const header = (rows[0] ?? []).map((cell) => cell.trim());
  const columns = { ...guessColumns(header), ...options.columns };
  const result: MapParse = { delimiter, header, columns, tags: [], problems: [] };
  if (columns.name === undefined || columns.address === undefined) {
    const missing = [columns.name === undefined ? 'name' : '', columns.address === undefined ? 'address' : ''].filter(Boolean).join(' and ');
    result.problems.push({ line: 1, reason: `no ${missing} column in the header (${header.join(', ') || 'empty'}): name the columns or choose them` });
    return result;
  }
  const names = new Map<string, number>((options.takenNames ?? []).map((name) => [name, 0]));
  rows.slice(1).forEach((cells, index) => {
    const line = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return;
    const get = (field: MapField) => {
      const column = columns[field];
      return column === undefined ? '' : (cells[column] ?? '').trim();
    };
    const converted = rowToTag(get, line);
    if ('reason' in converted) {
      result.problems.push(converted);
      return;
    }
    const first = names.get(converted.tag.name);
    if (first !== undefined) {
      result.problems.push({ line, name: converted.tag.name, reason: first === 0 ? 'a tag with this name is already on the device' : `the name is already used on line ${first}` });
      return;
    }
    names.set(converted.tag.name, line);
    result.tags.push(converted);
  });
  return result;
}

/**
 * Vendor names carry characters a tag name may not ("Voltage L1-N (V)", "P/Q"): each
 * run of them becomes one space, so the name stays readable.
 */
export function tagNameFrom(text: string): string {
  return text.replace(/[^A-Za-z0-9_. -]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/^[.\- ]+/, '').slice(0, 64).trim();
}

function rowToTag(get: (field: MapField) => string, line: number): ImportedTag | MapRowProblem {
  const name = tagNameFrom(get('name'));
  const fail = (reason: string): MapRowProblem => ({ line, ...(name ? { name } : {}), reason });
  if (name === '') return fail('no name');
  const addressText = get('address');
  if (addressText === '') return fail('no address');
  const address = /^\d{1,4}$/.test(addressText) ? `HR:${addressText}` : addressText;
  const parsed = parseAddress(address);
  if (!parsed.ok) return fail(parsed.error);
  const typeText = normal(get('type')).replace(/ /g, '');
  const bitAddress = parsed.address.table === 'coil' || parsed.address.table === 'discreteInput' || parsed.address.bit !== undefined;
  const type = typeText === '' ? (bitAddress ? 'bool' : 'uint16') : TYPE_WORDS[typeText];
  if (type === undefined) return fail(`unknown type "${get('type')}": expected int16, uint16, int32, uint32, float32, float64, int64, uint64, bool, string or bcd`);
  const orderText = normal(get('order'));
  const order = orderText === '' ? 'ABCD' : (ORDER_WORDS[orderText] ?? ORDER_WORDS[orderText.replace(/ /g, '')]);
  if (order === undefined) return fail(`unknown word order "${get('order')}": expected ABCD, CDAB, BADC or DCBA`);
  const scaleText = get('scale').replace(',', '.').replace(/^[x×*]\s*/i, '');
  const scale = scaleText === '' ? 1 : Number(scaleText);
  if (!Number.isFinite(scale) || scale === 0) return fail(`scale "${get('scale')}" is not a number`);
  const lengthText = get('length');
  const length = lengthText === '' ? undefined : Number(lengthText);
  const unit = get('unit');
  const description = get('description');
  const candidate = {
    name,
    address,
    type,
    ...(order === 'ABCD' ? {} : { order }),
    ...(scale === 1 ? {} : { scale }),
    ...(unit ? { unit } : {}),
    ...(type === 'string' && length !== undefined ? { length } : {}),
    ...(description ? { description } : {}),
  };
  const checked = Tag.safeParse(candidate);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return fail(`${where}${issue.message}`);
  }
  const access = get('access');
  return { line, tag: candidate, ...(access ? { access } : {}) };
}

const EXPORT_HEADER = ['name', 'address', 'type', 'order', 'scale', 'unit', 'access', 'length', 'description'];

function quote(field: string, delimiter: string): string {
  return /["\r\n]/.test(field) || field.includes(delimiter) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Tags as a register map the importer reads back to the same tags; access from the table (inputs are read-only). */
export function exportRegisterMap(tags: readonly Tag[], delimiter: ',' | '\t' | ';' = ','): string {
  const lines = [EXPORT_HEADER.join(delimiter)];
  for (const tag of tags) {
    const parsed = parseAddress(tag.address);
    const readOnly = parsed.ok && (parsed.address.table === 'inputRegister' || parsed.address.table === 'discreteInput');
    const fields = [tag.name, tag.address, tag.type, tag.order, String(tag.scale), tag.unit ?? '', readOnly ? 'R' : 'RW', tag.length === undefined ? '' : String(tag.length), tag.description ?? ''];
    lines.push(fields.map((field) => quote(field, delimiter)).join(delimiter));
  }
  return `${lines.join('\n')}\n`;
}
