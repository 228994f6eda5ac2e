/**
 * The reads of `bifrost-gateway read`, as rows ready to print or to put in JSON:
 * one value decoded like a tag, or a range as the register table Modbus Poll shows
 * (address, hex, unsigned, signed, and the type asked for where each value starts).
 * Reads go through the engine's range reader: split to the device's limits, a refused
 * part reported on its own rows.
 */
import { formatAddress } from '../api/address';
import type { RangeChunk } from '../api/registers';
import { rangeValues } from '../api/codec/rangeValues';
import { formatValue } from '../api/codec/registerFormats';
import { readRange } from '../engine/rangeReader';
import type { DeviceSession } from '../engine/session';
import type { Device } from '../api/config';
import { isBitTable, type ResolvedTag } from '../tags/resolve';
import { decodeTagFromBlock } from '../tags/tagValue';

export interface ReadFailure {
  message: string;
  exceptionCode?: number;
}

export interface ReadOutcome {
  header: string[];
  rows: string[][];
  json: Record<string, unknown>;
  /** The first part the device refused or did not answer; the rest of the rows still hold. */
  failure?: ReadFailure;
}

export interface ReadSource {
  session: DeviceSession;
  device: Device;
}

/** "float32 CDAB", "uint16", "bool": the type as a tag names it, the order only where it matters. */
export function typeLabel(tag: ResolvedTag): string {
  if (tag.type === 'bool') return 'bool';
  return tag.width > 1 || tag.order === 'BADC' || tag.order === 'DCBA' ? `${tag.type} ${tag.order}` : tag.type;
}

async function read(source: ReadSource, table: ResolvedTag['table'], start: number, count: number): Promise<RangeChunk[]> {
  const { chunks } = await readRange(table, start, count, {
    read: async (request) => {
      const response = await source.session.request(request);
      return 'registers' in response ? response.registers : response.bits;
    },
    maxRegistersPerRead: source.device.maxRegistersPerRead,
    maxBitsPerRead: source.device.maxBitsPerRead,
  });
  return chunks;
}

function failureOf(chunks: readonly RangeChunk[]): ReadFailure | undefined {
  const failed = chunks.find((chunk) => chunk.values === undefined);
  if (!failed) return undefined;
  return { message: failed.error ?? 'no values', ...(failed.exceptionCode === undefined ? {} : { exceptionCode: failed.exceptionCode }) };
}

function hexWords(words: readonly number[]): string {
  return words.map((word) => `0x${word.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** One value, decoded as a tag of that address, type and order would be. */
export async function readValue(source: ReadSource, tag: ResolvedTag): Promise<ReadOutcome> {
  const chunks = await read(source, tag.table, tag.offset, tag.width);
  const address = formatAddress({ table: tag.table, offset: tag.offset, bit: tag.bit });
  const header = ['address', 'type', 'value', 'raw'];
  const failure = failureOf(chunks);
  if (failure) return { header, rows: [[address, typeLabel(tag), '—', failure.message]], json: { address, type: tag.type, order: tag.order, error: failure }, failure };
  const data = chunks.flatMap((chunk) => chunk.values ?? []);
  const decoded = decodeTagFromBlock(tag, tag.offset, isBitTable(tag.table) ? data.map((bit) => bit === 1) : data);
  const shown = decoded.text ?? String(decoded.value);
  const raw = isBitTable(tag.table) ? String(data[0]) : hexWords(decoded.raw);
  return {
    header,
    rows: [[address, typeLabel(tag), tag.type === 'string' ? JSON.stringify(shown) : shown, raw]],
    json: { address, type: tag.type, order: tag.order, value: decoded.value, ...(decoded.text === undefined ? {} : { text: decoded.text }), raw: decoded.raw },
  };
}

/**
 * `count` registers (or bits) from the tag's address. Register rows: hex, unsigned,
 * signed, and with `typed` the tag's type decoded on the row each value starts.
 */
export async function readTable(source: ReadSource, tag: ResolvedTag, count: number, typed: boolean): Promise<ReadOutcome> {
  const chunks = await read(source, tag.table, tag.offset, count);
  const values = rangeValues(chunks, tag.offset, count);
  const failedChunk = (row: number) => chunks.find((chunk) => chunk.values === undefined && row + tag.offset >= chunk.start && row + tag.offset < chunk.start + chunk.count);
  const errorAt = (row: number) => failedChunk(row)?.error;
  // The table says a refused part's error once, on its first row; the rows under it are that part too.
  const errorCell = (row: number) => (failedChunk(row)?.start === row + tag.offset ? (errorAt(row) ?? '') : '〃');
  const address = (row: number) => formatAddress({ table: tag.table, offset: tag.offset + row });
  const failure = failureOf(chunks);
  const table = formatAddress({ table: tag.table, offset: tag.offset }).split(':')[0];
  const json = { table, start: tag.offset, count, ...(failure ? { error: failure } : {}) };

  if (isBitTable(tag.table)) {
    const rows = values.map((bit, row) => [address(row), bit === undefined ? '—' : String(bit), ...(bit === undefined ? [errorCell(row)] : [])]);
    const header = ['address', 'value', ...(failure ? ['error'] : [])];
    return { header, rows, json: { ...json, rows: values.map((bit, row) => ({ address: address(row), ...(bit === undefined ? { error: errorAt(row) } : { value: bit }) })) }, failure };
  }

  const typeColumn = typed ? [typeLabel(tag)] : [];
  const header = ['address', 'hex', 'unsigned', 'signed', ...typeColumn, ...(failure ? ['error'] : [])];
  const rows: string[][] = [];
  const jsonRows: Record<string, unknown>[] = [];
  for (let row = 0; row < count; row++) {
    const word = values[row];
    if (word === undefined) {
      rows.push([address(row), '—', '—', '—', ...typeColumn.map(() => ''), errorCell(row)]);
      jsonRows.push({ address: address(row), error: errorAt(row) ?? '' });
      continue;
    }
    const typedValue = typed ? typedAt(tag, values, row) : undefined;
    rows.push([
      address(row),
      formatValue({ kind: 'hex', order: 'ABCD' }, [word])!,
      formatValue({ kind: 'unsigned', order: 'ABCD' }, [word])!,
      formatValue({ kind: 'signed', order: 'ABCD' }, [word])!,
      ...(typed ? [typedValue?.text ?? ''] : []),
      ...(failure ? [''] : []),
    ]);
    jsonRows.push({ address: address(row), value: word, ...(typedValue?.value === undefined ? {} : { [tag.type]: typedValue.value }) });
  }
  return { header, rows, json: { ...json, type: tag.type, order: tag.order, rows: jsonRows }, failure };
}

/** The value of the tag's type starting at `row`, on rows that start one (every width-th row from the first). */
function typedAt(tag: ResolvedTag, values: readonly (number | undefined)[], row: number): { text: string; value: number | boolean | string | null } | undefined {
  if (row % tag.width !== 0) return undefined;
  const words = values.slice(row, row + tag.width);
  if (words.length < tag.width) return { text: '(cut off)', value: null };
  if (words.some((word) => word === undefined)) return undefined;
  try {
    const decoded = decodeTagFromBlock({ ...tag, offset: tag.offset + row }, tag.offset + row, words as number[]);
    const value = decoded.text ?? decoded.value;
    return { text: decoded.text ?? String(decoded.value), value };
  } catch (error) {
    return { text: `— ${(error as Error).message}`, value: null };
  }
}
