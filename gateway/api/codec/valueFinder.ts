/**
 * The value finder: given what a register should read now (230.1 ± 0.5) and a block
 * of registers read once, every address, type, word order and scale whose decoded
 * value falls within the tolerance. A second read of the same block drops what does
 * not hold still (noise that matched by chance). Pure: the extension runs it on the
 * gateway's `registers.read` results.
 */
import type { DataType, WordOrder } from '../config';
import { decodeNumeric, REGISTER_WIDTHS, WORD_ORDERS } from './registerCodec';

export const FINDER_SCALES = [1, 0.1, 0.01, 0.001] as const;

type FinderType = Extract<DataType, 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32'>;
const INTEGER_TYPES: readonly FinderType[] = ['uint16', 'int16', 'uint32', 'int32'];

export interface Candidate {
  /** Zero-based protocol address of the first register. */
  offset: number;
  type: FinderType;
  order: WordOrder;
  scale: number;
  /** The decoded value at the first read, after scale. */
  value: number;
}

export interface FinderQuery {
  target: number;
  tolerance: number;
}

function scaled(raw: number, scale: number): number {
  return scale === 1 ? raw : Number((raw * scale).toPrecision(12));
}

/** 16-bit values have one word: only ABCD (and BADC, a byte swap, which devices rarely do) differ. */
function ordersOf(type: FinderType): readonly WordOrder[] {
  return REGISTER_WIDTHS[type] === 1 ? ['ABCD'] : WORD_ORDERS;
}

function decodeAt(values: readonly (number | undefined)[], index: number, type: FinderType, order: WordOrder): number | undefined {
  const words = values.slice(index, index + REGISTER_WIDTHS[type]);
  if (words.length < REGISTER_WIDTHS[type] || words.some((word) => word === undefined)) return undefined;
  const raw = Number(decodeNumeric(type, order, words as number[]));
  return Number.isFinite(raw) ? raw : undefined;
}

function matches(value: number | undefined, query: FinderQuery): value is number {
  return value !== undefined && Math.abs(value - query.target) <= query.tolerance + 1e-9;
}

/**
 * Every candidate in `values` (the registers from `start`), ranked: exact types
 * first (floats, and integers at scale 1), then scaled ones; nearest first in each.
 * A 16-bit value that reads the same as uint16 and int16 is listed once.
 */
export function findCandidates(values: readonly (number | undefined)[], start: number, query: FinderQuery): Candidate[] {
  const found: Candidate[] = [];
  for (let index = 0; index < values.length; index++) {
    const seen = new Set<string>();
    const float = decodeAtAll(values, index, 'float32');
    for (const [order, raw] of float) if (matches(raw, query)) found.push({ offset: start + index, type: 'float32', order, scale: 1, value: raw });
    for (const type of INTEGER_TYPES) {
      for (const [order, raw] of decodeAtAll(values, index, type)) {
        for (const scale of FINDER_SCALES) {
          const value = scaled(raw, scale);
          const key = `${REGISTER_WIDTHS[type]} ${order} ${scale} ${value}`;
          if (!matches(value, query) || seen.has(key)) continue;
          seen.add(key);
          found.push({ offset: start + index, type, order, scale, value });
        }
      }
    }
  }
  return rank(found, query);
}

function decodeAtAll(values: readonly (number | undefined)[], index: number, type: FinderType): [WordOrder, number][] {
  const out: [WordOrder, number][] = [];
  for (const order of ordersOf(type)) {
    const raw = decodeAt(values, index, type, order);
    if (raw !== undefined) out.push([order, raw]);
  }
  return out;
}

function rank(candidates: Candidate[], query: FinderQuery): Candidate[] {
  const group = (c: Candidate) => (c.scale === 1 ? 0 : 1);
  return candidates.sort((a, b) => group(a) - group(b) || Math.abs(a.value - query.target) - Math.abs(b.value - query.target) || a.offset - b.offset);
}

/** The candidates that still read within the tolerance in a second read of the same block. */
export function stillHolding(candidates: readonly Candidate[], values: readonly (number | undefined)[], start: number, query: FinderQuery): Candidate[] {
  return candidates.filter((candidate) => {
    const raw = decodeAt(values, candidate.offset - start, candidate.type, candidate.order);
    return raw !== undefined && matches(scaled(raw, candidate.scale), query);
  });
}

export interface FinderResult {
  candidates: Candidate[];
  /** Matched the first read but not the second: they do not hold still. */
  dropped: number;
  /** Registers the device refused in the first read. */
  unreadable: number;
}

/**
 * The whole search: `read` the block (values by row, undefined where the device
 * refused), list the candidates, and when there are any read again and keep those
 * that still match.
 */
export async function findByTwoReads(read: () => Promise<(number | undefined)[]>, start: number, query: FinderQuery): Promise<FinderResult> {
  const first = await read();
  const unreadable = first.filter((value) => value === undefined).length;
  const candidates = findCandidates(first, start, query);
  if (candidates.length === 0) return { candidates, dropped: 0, unreadable };
  const held = stillHolding(candidates, await read(), start, query);
  return { candidates: held, dropped: candidates.length - held.length, unreadable };
}

/** "HR:120 float32 CDAB", "HR:7 int16 ×0.1", for lists and tag names. */
export function describeCandidate(candidate: Candidate, prefix: string, addressBase: 0 | 1): string {
  const order = REGISTER_WIDTHS[candidate.type] > 1 ? ` ${candidate.order}` : '';
  const scale = candidate.scale === 1 ? '' : ` ×${candidate.scale}`;
  return `${prefix}:${candidate.offset + addressBase} ${candidate.type}${order}${scale}`;
}

/** A query as typed: "230.1", "230.1 ±0.5", "230.1 +-0.5", "230.1 0.5". Default tolerance: half the last digit typed. */
export function parseFinderQuery(text: string): { ok: true; query: FinderQuery } | { ok: false; error: string } {
  const match = /^\s*(-?\d+(?:\.(\d+))?)\s*(?:(?:±|\+-|\+\/-)?\s*(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (!match) return { ok: false, error: `"${text}" is not a value: type what the register should read, e.g. 230.1 or 230.1 ±0.5` };
  const target = Number(match[1]);
  const decimals = match[2]?.length ?? 0;
  const tolerance = match[3] !== undefined ? Number(match[3]) : 0.5 * 10 ** -decimals;
  return { ok: true, query: { target, tolerance } };
}
