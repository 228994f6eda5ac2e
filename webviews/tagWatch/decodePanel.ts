/**
 * The "Decode as…" pane: one register block in every type and byte order. It follows
 * the active row (its raw registers), and a user may type any block instead.
 */
import { decodeBlock, parseRegisters, WORD_ORDERS } from '../shared/decodeAs';
import { hexWord } from '../shared/format';
import { textField } from '../shared/ui';
import type { RowState } from './store';

export class DecodePanel {
  readonly element: HTMLElement;
  private readonly input;
  private readonly message: HTMLElement;
  private readonly table: HTMLTableElement;

  constructor() {
    this.element = document.createElement('section');
    this.element.className = 'pane decode-pane';
    this.element.setAttribute('aria-label', 'Decode as');
    const heading = document.createElement('h2');
    heading.textContent = 'Decode as…';
    this.input = textField({
      label: 'Registers to decode, hex words',
      placeholder: 'registers in hex: 4049 0FDB (#16457 for decimal)',
      onInput: (text) => this.render(text),
    });
    this.input.classList.add('decode-input');
    this.message = document.createElement('p');
    this.message.className = 'pane-message';
    this.message.setAttribute('role', 'status');
    this.table = document.createElement('table');
    this.table.className = 'decode-table';
    this.element.append(heading, this.input, this.message, this.table);
  }

  /** Shows the active row's registers (bits rows have nothing to decode). */
  follow(row: RowState | undefined): void {
    const raw = row?.value?.raw;
    if (!row || row.meta.bits || !raw || raw.length === 0) return;
    const text = raw.map(hexWord).join(' ');
    this.input.value = text;
    this.render(text);
  }

  setRegisters(text: string): void {
    this.input.value = text;
    this.render(text);
  }

  private render(text: string): void {
    const parsed = parseRegisters(text);
    this.table.replaceChildren();
    if (!parsed.ok) {
      this.message.textContent = parsed.error;
      return;
    }
    this.message.textContent = `${parsed.registers.length} register${parsed.registers.length === 1 ? '' : 's'}; types wider than the block show —`;
    const head = this.table.createTHead().insertRow();
    for (const title of ['Type', ...WORD_ORDERS]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    const body = this.table.createTBody();
    for (const row of decodeBlock(parsed.registers)) {
      const tr = body.insertRow();
      tr.dataset.type = row.type;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row.type;
      tr.append(th);
      for (const order of WORD_ORDERS) {
        const td = tr.insertCell();
        td.dataset.order = order;
        td.textContent = row.values[order] ?? '—';
      }
    }
  }
}
