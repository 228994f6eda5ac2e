/**
 * The panel's data: one RowState per watched tag, the latest value, a short history
 * for the sparkline and CSV, and counters the grid compares to decide what to repaint.
 * No DOM here; applying 5,000 values is a loop over a Map and a few array writes.
 */
import type { ConnectionState, TagReadTick, TagValue } from '../../gateway/api/shapes';
import type { WatchRow } from './protocol';
import { HISTORY_CAPACITY, rowKey } from './rows';


export interface RowState {
  readonly key: string;
  readonly meta: Omit<WatchRow, 'value' | 'history' | 'deviceState'>;
  value?: TagValue;
  /** The device's connection state: "not answering" colours the quality of its rows. */
  deviceState?: ConnectionState;
  /** Ring buffers of the history: timestamps and numeric values (NaN for a missing value). */
  readonly historyTs: Float64Array;
  readonly historyValues: Float64Array;
  historyStart: number;
  historyLength: number;
  /** performance.now() of the last change of the displayed value; 0 = never. */
  changedAt: number;
  /** Bumped on every update, so the grid repaints a row only when it moved on. */
  version: number;
}

export function numericValue(value: TagValue['value'] | undefined): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : NaN;
}

export class WatchStore {
  rows: RowState[] = [];
  /** Indices into `rows` that pass the filter, in display order. */
  visible: number[] = [];
  private index = new Map<string, number>();
  private filterText = '';

  load(rows: readonly WatchRow[]): void {
    this.rows = rows.map((row) => {
      const { value, history, deviceState, ...meta } = row;
      const state: RowState = {
        key: rowKey(row.device, row.name),
        meta,
        value,
        deviceState,
        historyTs: new Float64Array(HISTORY_CAPACITY),
        historyValues: new Float64Array(HISTORY_CAPACITY),
        historyStart: 0,
        historyLength: 0,
        changedAt: 0,
        version: 1,
      };
      // JSON turns the host's NaN gaps into null: read them back as gaps.
      for (let i = 0; i + 1 < history.length; i += 2) pushHistory(state, history[i], history[i + 1] ?? NaN);
      return state;
    });
    this.index = new Map(this.rows.map((row, i) => [row.key, i]));
    this.applyFilter(this.filterText);
  }

  /** Applies a batch; returns how many rows changed. */
  applyValues(values: readonly TagValue[], now: number): number {
    let changed = 0;
    for (const value of values) {
      const i = this.index.get(rowKey(value.device, value.tag));
      if (i === undefined) continue;
      const row = this.rows[i];
      const previous = row.value;
      // An out-of-order batch must not roll a value back (same rule as the tree's model).
      if (previous && previous.ts > value.ts) continue;
      row.value = value;
      row.version++;
      pushHistory(row, value.ts, numericValue(value.value));
      if (!previous || previous.value !== value.value || previous.quality !== value.quality) row.changedAt = now;
      changed++;
    }
    return changed;
  }

  /**
   * Completed scans: a good value of a tag scanned at that period was read at
   * `tick.at` even though it did not change. Its time of change stays; the row
   * repaints its Read column. Returns how many rows moved.
   */
  applyReads(reads: readonly TagReadTick[]): number {
    let moved = 0;
    for (const tick of reads) {
      for (const row of this.rows) {
        const value = row.value;
        if (row.meta.device !== tick.device || row.meta.scanMs !== tick.scanMs) continue;
        if (!value || value.quality !== 'good' || value.ts >= tick.at) continue;
        row.value = { ...value, ts: tick.at, changedAt: value.changedAt ?? value.ts };
        row.version++;
        moved++;
      }
    }
    return moved;
  }

  /** A device's connection state changed; returns how many of its rows show it. */
  applyDeviceState(device: string, state: ConnectionState): number {
    let moved = 0;
    for (const row of this.rows) {
      if (row.meta.device !== device || row.deviceState === state) continue;
      row.deviceState = state;
      row.version++;
      moved++;
    }
    return moved;
  }

  /** Case-insensitive match on device, name, address, type and unit. */
  applyFilter(text: string): void {
    this.filterText = text;
    const needle = text.trim().toLowerCase();
    this.visible = [];
    this.rows.forEach((row, i) => {
      if (!needle) {
        this.visible.push(i);
        return;
      }
      const m = row.meta;
      const haystack = `${m.device} ${m.name} ${m.address} ${m.type} ${m.unit ?? ''}`.toLowerCase();
      if (haystack.includes(needle)) this.visible.push(i);
    });
  }

  get filter(): string {
    return this.filterText;
  }

  indexOfKey(key: string): number | undefined {
    return this.index.get(key);
  }
}

function pushHistory(row: RowState, ts: number, value: number): void {
  const slot = (row.historyStart + row.historyLength) % HISTORY_CAPACITY;
  row.historyTs[slot] = ts;
  row.historyValues[slot] = value;
  if (row.historyLength < HISTORY_CAPACITY) row.historyLength++;
  else row.historyStart = (row.historyStart + 1) % HISTORY_CAPACITY;
}

/** The history oldest first, for CSV and the sparkline. */
export function* historyPoints(row: RowState): Generator<[ts: number, value: number]> {
  for (let i = 0; i < row.historyLength; i++) {
    const slot = (row.historyStart + i) % HISTORY_CAPACITY;
    yield [row.historyTs[slot], row.historyValues[slot]];
  }
}
