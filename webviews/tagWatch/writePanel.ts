/**
 * Writing a tag, in three visible steps: type a value → see the exact frame the
 * gateway will send (`tag.encodeWrite`) → confirm → the write (`tag.write`) and the
 * value read back. The steps are the shared ConfirmedWrite (the Registers view writes
 * through it too); this file says what a Tag Watch row writes and how.
 */
import type { HostConnection } from '../shared/hostConnection';
import { ConfirmedWrite } from '../shared/confirmedWrite';
import { formatDecimal } from '../shared/format';
import type { TagWatchProtocol, WriteSupport, WriteTarget } from './protocol';
import type { RowState } from './store';

export function parseWriteValue(text: string, bits: boolean): { ok: true; value: number | boolean } | { ok: false; error: string } {
  const t = text.trim().toLowerCase();
  if (bits) {
    if (['1', 'true', 'on'].includes(t)) return { ok: true, value: true };
    if (['0', 'false', 'off'].includes(t)) return { ok: true, value: false };
    return { ok: false, error: 'a bit takes true/false, on/off or 1/0' };
  }
  const value = Number(t);
  if (t === '' || !Number.isFinite(value)) return { ok: false, error: `"${text}" is not a number` };
  return { ok: true, value };
}

export class WritePanel {
  private readonly steps: ConfirmedWrite;
  private row: RowState | undefined;

  constructor(private readonly host: HostConnection<TagWatchProtocol>) {
    this.steps = new ConfirmedWrite(
      {
        preview: (text) => this.host.request('write.preview', this.target(text)),
        commit: async (text) => {
          const target = this.target(text);
          const outcome = await this.host.request('write.commit', target);
          const readBack = outcome.readBack ? `read back ${formatDecimal(outcome.readBack.value)} (${outcome.readBack.quality})` : 'the next poll shows the value';
          return `Written ${String(target.value)}; ${readBack}.`;
        },
      },
      'Write: select a tag',
    );
    this.setSupport({ available: false, reason: 'waiting for the extension' });
  }

  get element(): HTMLElement {
    return this.steps.element;
  }

  setSupport(support: WriteSupport): void {
    this.steps.refuse(support.available ? undefined : `Writing is not available: ${support.reason ?? 'unknown reason'}`);
  }

  follow(row: RowState | undefined): void {
    if (row?.key === this.row?.key) return;
    this.row = row;
    this.steps.follow(
      row && {
        heading: `Write ${row.meta.device} / ${row.meta.name} (${row.meta.address}, ${row.meta.type})`,
        initial: row.value ? formatDecimal(row.value.value) : '',
        to: row.meta.device,
      },
    );
  }

  focusInput(): void {
    this.steps.focus();
  }

  /** The write of `text` to the followed row; a value that is not one is refused before the host is asked. */
  private target(text: string): WriteTarget {
    const row = this.row;
    if (!row) throw new Error('select a tag');
    const parsed = parseWriteValue(text, row.meta.type === 'bool');
    if (!parsed.ok) throw new Error(parsed.error);
    return { device: row.meta.device, tag: row.meta.name, value: parsed.value };
  }
}
