/**
 * The Registers page's data: one slot per row of the range (value, error, time of
 * the last read, when it last changed), the rows' formats, and the selection. Pure
 * and DOM-free, so it is unit-tested under mocha.
 */
import type { RangeChunk } from '../../gateway/api/registers';
import { DEFAULT_FORMAT, FORMAT_WIDTH, renderRows, rowAddress, type RowFormat, type RowText } from '../../gateway/api/codec/registerFormats';
import type { FormatEntry, RangeSpec } from './protocol';

export interface RowSlot {
  value?: number;
  error?: string;
  /** The device's exception code when it refused the read; absent when it did not answer or could not be reached. */
  exceptionCode?: number;
  ts?: number;
  /** Epoch ms the value last differed from the one before (for the flash). */
  changedAt?: number;
}

export class RangeModel {
  range: RangeSpec = { table: 'holdingRegister', start: 0, count: 0, pollMs: 0 };
  addressBase: 0 | 1 = 0;
  slots: RowSlot[] = [];
  private readonly formats = new Map<number, RowFormat>();
  private texts: RowText[] | undefined;

  setRange(range: RangeSpec): void {
    const same = range.table === this.range.table && range.start === this.range.start && range.count === this.range.count;
    this.range = range;
    if (!same) this.slots = Array.from({ length: range.count }, () => ({}));
    this.texts = undefined;
  }

  get bits(): boolean {
    return this.range.table === 'coil' || this.range.table === 'discreteInput';
  }

  /** Merge a read; returns the rows whose value changed. */
  apply(chunks: readonly RangeChunk[], now = Date.now()): number[] {
    const changed: number[] = [];
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.count; i++) {
        const row = chunk.start - this.range.start + i;
        const slot = this.slots[row];
        if (!slot) continue;
        if (chunk.values) {
          const value = chunk.values[i];
          if (slot.value !== undefined && slot.value !== value) {
            slot.changedAt = now;
            changed.push(row);
          }
          slot.value = value;
          slot.error = undefined;
          slot.exceptionCode = undefined;
        } else {
          slot.value = undefined;
          slot.error = chunk.error;
          slot.exceptionCode = chunk.exceptionCode;
        }
        slot.ts = chunk.ts;
      }
    }
    this.texts = undefined;
    return changed;
  }

  formatOf(row: number): RowFormat {
    if (this.bits) return DEFAULT_FORMAT;
    return this.formats.get(this.range.start + row) ?? DEFAULT_FORMAT;
  }

  setFormat(rows: readonly number[], format: RowFormat): void {
    for (const row of rows) {
      if (format.kind === 'unsigned') this.formats.delete(this.range.start + row);
      else this.formats.set(this.range.start + row, format);
    }
    this.texts = undefined;
  }

  setFormats(entries: readonly FormatEntry[]): void {
    this.formats.clear();
    for (const entry of entries) this.formats.set(entry.offset, entry.format);
    this.texts = undefined;
  }

  formatEntries(): FormatEntry[] {
    return [...this.formats].map(([offset, format]) => ({ offset, format }));
  }

  text(row: number): RowText {
    this.texts ??= this.bits ? this.slots.map((slot) => ({ text: slot.value === undefined ? '' : String(slot.value) })) : renderRows(this.slots.map((slot) => slot.value), (r) => this.formatOf(r));
    return this.texts[row] ?? { text: '' };
  }

  address(row: number): string {
    return rowAddress(this.range.table, this.range.start + row, this.addressBase);
  }

  /** The row a value starts on, for a row a multi-row value continues onto. */
  ownerOf(row: number): number {
    return this.text(row).partOf ?? row;
  }

  /** Rows a value in this row spans. */
  widthOf(row: number): number {
    return this.bits ? 1 : FORMAT_WIDTH[this.formatOf(row).kind];
  }

  /** The selected rows as TSV (address, value, format), for the clipboard. */
  asTsv(rows: readonly number[]): string {
    const lines = ['address\tvalue\tformat'];
    for (const row of [...rows].sort((a, b) => a - b)) {
      const text = this.text(row);
      if (text.partOf !== undefined) continue;
      const slot = this.slots[row];
      const format = this.formatOf(row);
      const label = this.bits ? 'bit' : FORMAT_WIDTH[format.kind] > 1 ? `${format.kind} ${format.order}` : format.kind;
      lines.push([this.address(row), slot?.error ? `error: ${slot.error}` : text.text, label].join('\t'));
    }
    return `${lines.join('\n')}\n`;
  }
}
