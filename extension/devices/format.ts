/**
 * How tag values read in the tree and tooltips. Plain functions, no vscode, so the
 * rules are unit-tested.
 */
import type { TagSummary, TagValue } from '../../gateway/api';

/**
 * Eight significant digits: a float32 carries a little over seven, so this shows
 * π as 3.1415927 while hiding the noise that scaling adds (215 × 0.1 is
 * 21.500000000000004 in binary floating point and should read 21.5).
 */
const SIGNIFICANT_DIGITS = 8;

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  // Number(...) drops the trailing zeros toPrecision pads with.
  return String(Number(value.toPrecision(SIGNIFICANT_DIGITS)));
}

/** What a reading carries: the value, and `text` where a number cannot say it exactly. */
export type Reading = Pick<TagValue, 'value' | 'text'>;

/**
 * The value alone: `21.5`, `true`, `—` when the read produced none. `text` wins
 * when present: the exact decimal of a 64-bit integer (the number is only the
 * nearest double), or a string tag's characters, quoted so that spaces and
 * control characters show.
 */
export function formatValue(value: TagValue['value'] | undefined, text?: string): string {
  if (text !== undefined) return value === null || value === undefined ? JSON.stringify(text) : text;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return formatNumber(value);
}

/** The value with its unit, as the tree shows it: `21.5 °C`. No unit after a missing value or a string. */
export function formatValueWithUnit(value: TagValue['value'] | undefined, unit: string | undefined, text?: string): string {
  const shown = formatValue(value, text);
  if (!unit || value === null || value === undefined || typeof value === 'boolean') return shown;
  return `${shown} ${unit}`;
}

/** A reading with its unit: `formatValueWithUnit` for a whole TagValue. */
export function formatReading(reading: Reading | undefined, unit: string | undefined): string {
  return formatValueWithUnit(reading?.value, unit, reading?.text);
}

/** The tree's description for a tag: value and unit, and why it cannot be trusted. */
export function describeTag(tag: TagSummary): string {
  const value = tag.value;
  if (!value) return '…';
  const text = formatReading(value, tag.unit);
  if (value.quality === 'stale') return `${text} (stale)`;
  if (value.quality === 'bad') return value.value === null && value.text === undefined ? 'bad' : `${text} (bad)`;
  return text;
}

/** Raw registers in hex (`0x40490FDB` reads better per word: `0x4049 0x0FDB`), bits as 0/1. */
export function formatRaw(raw: readonly number[] | undefined, bits: boolean): string | undefined {
  if (!raw || raw.length === 0) return undefined;
  if (bits) return raw.map((bit) => (bit ? '1' : '0')).join(' ');
  return raw.map((word) => `0x${(word & 0xffff).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** `500 ms`, `2 s`, `1.5 min`: a poll rate as a person says it (one decimal at most). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

/**
 * When a value was last read and, apart, when it last changed: a value polled every
 * second that has not moved for three minutes reads "Read at 10:03:01 · changed at
 * 10:00:00", not a time three minutes old. A stale value was not read since.
 */
export function readAndChanged(value: Pick<TagValue, 'ts' | 'changedAt' | 'quality'>, time = clockTime): string {
  const read = `${value.quality === 'stale' ? 'Last read' : 'Read'} at ${time(value.ts)}`;
  const changedAt = value.changedAt ?? value.ts;
  return changedAt === value.ts ? `${read} (changed then)` : `${read} · changed at ${time(changedAt)}`;
}

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}
