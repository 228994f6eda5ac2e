/** Rows as text for the clipboard (tab-separated, pastes into a spreadsheet) and history as CSV. */
import { formatTagValue, type DisplayMode } from '../shared/format';
import { historyPoints, type RowState } from './store';

export function rowsAsTsv(rows: readonly RowState[], mode: DisplayMode): string {
  const lines = [['Device', 'Name', 'Address', 'Type', 'Value', 'Unit', 'Quality', 'Read at', 'Changed at'].join('\t')];
  for (const row of rows) {
    const v = row.value;
    lines.push(
      [row.meta.device, row.meta.name, row.meta.address, row.meta.type, formatTagValue(v, mode, row.meta.bits), row.meta.unit ?? '', v?.quality ?? '', v ? new Date(v.ts).toISOString() : '', v ? new Date(v.changedAt ?? v.ts).toISOString() : ''].join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every history point of the given rows: one line per tag and point, oldest first per tag. */
export function historyAsCsv(rows: readonly RowState[]): string {
  const lines = ['device,tag,address,unit,timestamp,epoch_ms,value'];
  for (const row of rows) {
    const m = row.meta;
    const prefix = [m.device, m.name, m.address, m.unit ?? ''].map(csvField).join(',');
    for (const [ts, value] of historyPoints(row)) {
      lines.push(`${prefix},${new Date(ts).toISOString()},${ts},${Number.isNaN(value) ? '' : value}`);
    }
  }
  return lines.join('\n') + '\n';
}
