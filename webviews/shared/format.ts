/**
 * How values read in the webviews: decimal, hex or binary. Hex and binary show the
 * raw registers (TagValue.raw) the value was decoded from, not the scaled number:
 * that is what a user compares with a device manual or a frame dump.
 */
import type { TagValue } from '../../gateway/api/shapes';

export type DisplayMode = 'decimal' | 'hex' | 'binary';

/** Eight significant digits, like the Devices tree: π reads 3.1415927, 215 × 0.1 reads 21.5. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(8)));
}

export function formatDecimal(value: TagValue['value'] | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return formatNumber(value);
}

export function hexWord(word: number): string {
  return (word & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

export function binaryWord(word: number): string {
  const bits = (word & 0xffff).toString(2).padStart(16, '0');
  return `${bits.slice(0, 8)} ${bits.slice(8)}`;
}

/** A value in the chosen mode; falls back to decimal when there are no raw registers. */
export function formatTagValue(value: TagValue | undefined, mode: DisplayMode, bits: boolean): string {
  if (!value) return '…';
  const raw = value.raw;
  if (mode === 'decimal' || !raw || raw.length === 0) return formatDecimal(value.value);
  if (bits) return raw.map((bit) => (bit ? '1' : '0')).join(' ');
  if (mode === 'hex') return raw.map((word) => `0x${hexWord(word)}`).join(' ');
  return raw.map(binaryWord).join(' | ');
}

/** Local time with milliseconds: values at 10 Hz differ below the second. */
export function formatTime(ts: number | undefined): string {
  if (ts === undefined) return '';
  const date = new Date(ts);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
