/**
 * Writing a tag, in three visible steps: type a value → see the exact frame the
 * gateway will send (`tag.encodeWrite`) → confirm → the write (`tag.write`) and the
 * value read back. The Confirm button only ever sends the value that was previewed:
 * editing the value afterwards takes the user back to the preview step.
 */
import type { HostConnection } from '../shared/hostConnection';
import { formatDecimal } from '../shared/format';
import { button, textField } from '../shared/ui';
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
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly input;
  private readonly previewButton;
  private readonly confirmButton;
  private readonly frame: HTMLElement;
  private readonly status: HTMLElement;
  private row: RowState | undefined;
  private previewed: WriteTarget | undefined;
  private support: WriteSupport = { available: false, reason: 'waiting for the extension' };

  constructor(private readonly host: HostConnection<TagWatchProtocol>) {
    this.element = document.createElement('section');
    this.element.className = 'pane write-pane';
    this.element.setAttribute('aria-label', 'Write a value');
    this.heading = document.createElement('h2');
    this.input = textField({ label: 'New value', placeholder: 'new value', onInput: () => this.resetPreview(), onEnter: () => void this.preview() });
    this.previewButton = button({ label: 'Preview frame', onClick: () => void this.preview() });
    this.confirmButton = button({ label: 'Confirm write', onClick: () => void this.commit() });
    const controls = document.createElement('div');
    controls.className = 'pane-controls';
    controls.append(this.input, this.previewButton, this.confirmButton);
    this.frame = document.createElement('pre');
    this.frame.className = 'frame-preview';
    this.frame.setAttribute('aria-label', 'Frame to be sent');
    this.status = document.createElement('p');
    this.status.className = 'pane-message';
    this.status.setAttribute('role', 'status');
    this.element.append(this.heading, controls, this.frame, this.status);
    this.update();
  }

  setSupport(support: WriteSupport): void {
    this.support = support;
    this.update();
  }

  follow(row: RowState | undefined): void {
    if (row?.key === this.row?.key) return;
    this.row = row;
    this.input.value = row?.value ? formatDecimal(row.value.value) : '';
    this.resetPreview();
  }

  focusInput(): void {
    this.input.focus();
  }

  private resetPreview(): void {
    this.previewed = undefined;
    this.frame.textContent = '';
    this.status.textContent = '';
    this.element.dataset.step = 'edit';
    this.update();
  }

  private update(): void {
    const row = this.row;
    this.heading.textContent = row ? `Write ${row.meta.device} / ${row.meta.name} (${row.meta.address}, ${row.meta.type})` : 'Write: select a tag';
    const enabled = this.support.available && row !== undefined;
    this.input.disabled = !enabled;
    this.previewButton.disabled = !enabled;
    this.confirmButton.disabled = !enabled || this.previewed === undefined;
    if (!this.support.available) this.status.textContent = `Writing is not available: ${this.support.reason ?? 'unknown reason'}`;
  }

  private async preview(): Promise<void> {
    const row = this.row;
    if (!row || !this.support.available) return;
    const parsed = parseWriteValue(this.input.value, row.meta.type === 'bool');
    if (!parsed.ok) {
      this.status.textContent = parsed.error;
      return;
    }
    const target: WriteTarget = { device: row.meta.device, tag: row.meta.name, value: parsed.value };
    this.status.textContent = 'Encoding…';
    try {
      const preview = await this.host.request('write.preview', target);
      this.previewed = target;
      this.frame.textContent = preview.frameHex;
      this.status.textContent = `${preview.summary ? `${preview.summary}. ` : ''}Confirm to send this frame to ${row.meta.device}.`;
      this.element.dataset.step = 'confirm';
    } catch (error) {
      this.status.textContent = `Cannot write: ${(error as Error).message}`;
      this.element.dataset.step = 'error';
    }
    this.update();
  }

  private async commit(): Promise<void> {
    const target = this.previewed;
    if (!target) return;
    this.confirmButton.disabled = true;
    this.status.textContent = 'Writing…';
    try {
      const outcome = await this.host.request('write.commit', target);
      const readBack = outcome.readBack ? `read back ${formatDecimal(outcome.readBack.value)} (${outcome.readBack.quality})` : 'the next poll shows the value';
      this.status.textContent = `Written ${String(target.value)}; ${readBack}.`;
      this.element.dataset.step = 'done';
    } catch (error) {
      this.status.textContent = `The write failed: ${(error as Error).message}`;
      this.element.dataset.step = 'error';
    }
    this.previewed = undefined;
    this.update();
  }
}
