/**
 * The unit id range a user types for a scan: "1-247", "1–10", "5", "1 to 30".
 * No vscode import: unit-tested in Node.
 */
import type { TransportKind } from '../ui/transportSteps';

export interface UnitRange {
  from: number;
  to: number;
}

export type RangeParse = { ok: true; range: UnitRange } | { ok: false; error: string };

export function parseUnitRange(text: string): RangeParse {
  const match = /^(\d{1,3})(?:\s*(?:-|–|—|\.\.|to)\s*(\d{1,3}))?$/i.exec(text.trim());
  if (!match) return { ok: false, error: 'enter a range of unit ids such as 1-247, or one id' };
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from > 255 || to > 255) return { ok: false, error: 'unit ids go from 0 to 255 (1–247 on a serial bus)' };
  if (from > to) return { ok: false, error: `the range starts above its end (${from} > ${to})` };
  return { ok: true, range: { from, to } };
}

export function formatUnitRange(range: UnitRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/**
 * What to scan unless told otherwise: a serial bus (or a converter in front of one)
 * can hold any slave address 1–247; behind a Modbus TCP address there is usually
 * one device, or a gateway with a few; the demo answers every id, so a few show it.
 */
export function defaultUnitRange(kind: TransportKind): UnitRange {
  switch (kind) {
    case 'rtu':
    case 'ascii':
    case 'rtutcp':
      return { from: 1, to: 247 };
    case 'tcp':
      return { from: 1, to: 10 };
    case 'demo':
      return { from: 1, to: 3 };
  }
}

/**
 * How long to wait for each unit: long enough for a slow device's reply on the
 * line (a 9600-baud reply of 7 bytes is ~8 ms, many devices think for 50 ms), short
 * enough that 247 silent ids take under a minute.
 */
export function defaultTimeoutMs(kind: TransportKind): number {
  return kind === 'rtutcp' ? 300 : 200;
}
