/**
 * The Send box: a request typed as hex in whatever form people type it — a PDU
 * (`03 00 00 00 0A`), unit + PDU (`01 03 00 00 00 0A`) or a whole frame — shown as the
 * whole frame the device's transport will carry (the gateway adds the MBAP header or
 * CRC and says so) before it is sent; the reply's fields and bytes, and for a read,
 * its values as a register table in the Registers view's formats.
 */
import type { ExchangeRead, ExchangeResult } from '../../gateway/api/capture';
import { FORMAT_KINDS, FORMAT_WIDTH, renderRows, rowAddress, WORD_ORDERS, type FormatKind } from '../../gateway/api/codec/registerFormats';
import type { WordOrder } from '../../gateway/api/config';
import type { HostConnection } from '../shared/hostConnection';
import { button, dropdown, textField } from '../shared/ui';
import { FrameView } from './frameView';
import type { FrameDebuggerProtocol } from './protocol';

/** "0103000a" → "01 03 00 0A". */
function spaced(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(' ');
}

export class SendBox {
  /** The row that stays in view: device, hex, what will be sent, Send. */
  readonly form: HTMLDivElement;
  /** The reply, below the selected frame. */
  readonly result: HTMLElement;
  private readonly hex;
  private readonly sendButton;
  private readonly willSend = document.createElement('p');
  private readonly reply = new FrameView('Reply to the sent frame');
  private readonly table = document.createElement('table');
  private readonly tableControls = document.createElement('div');
  private read: ExchangeRead | undefined;
  private kind: FormatKind = 'unsigned';
  private order: WordOrder = 'ABCD';
  private prepared = 0;

  constructor(
    private readonly host: HostConnection<FrameDebuggerProtocol>,
    private readonly device: () => string,
  ) {
    this.form = document.createElement('div');
    this.form.className = 'send';
    this.form.setAttribute('aria-label', 'Send a frame');
    this.hex = textField({
      label: 'Request as hex',
      placeholder: 'PDU (03 00 00 00 0A), unit + PDU (01 03 00 00 00 0A) or a whole frame',
      onInput: () => void this.prepare(),
      onEnter: () => void this.send(),
    });
    this.hex.classList.add('send-hex');
    this.sendButton = button({ label: 'Send', title: 'Send the frame shown (Enter)', onClick: () => void this.send() });
    this.sendButton.classList.add('send-button');
    this.willSend.className = 'send-preview';
    this.willSend.setAttribute('role', 'status');
    this.form.append(this.hex, this.sendButton, this.willSend);

    this.tableControls.className = 'send-table-controls';
    this.tableControls.append(
      dropdown({ label: 'Show values as', choices: FORMAT_KINDS.map((k) => ({ value: k, label: k })), value: this.kind, onChange: (k) => ((this.kind = k), this.renderTable()) }),
      dropdown({ label: 'Word order', choices: WORD_ORDERS.map((o) => ({ value: o, label: o })), value: this.order, onChange: (o) => ((this.order = o), this.renderTable()) }),
    );
    this.table.className = 'send-registers';
    this.result = document.createElement('section');
    this.result.className = 'send-section';
    this.result.setAttribute('aria-label', 'Reply to the sent frame');
    this.result.append(this.reply.element, this.tableControls, this.table);
    this.result.hidden = true;
  }

  /** The device changed: what will be sent depends on its transport. */
  deviceChanged(): void {
    void this.prepare();
  }

  private async prepare(): Promise<void> {
    const ticket = ++this.prepared;
    const hex = this.hex.value.trim();
    if (!hex || !this.device()) {
      this.willSend.textContent = '';
      return;
    }
    try {
      const prepared = await this.host.request('capture.prepare', { device: this.device(), hex });
      if (ticket !== this.prepared) return;
      this.willSend.textContent = `Will send ${spaced(prepared.hex)} — ${prepared.note}`;
      this.willSend.classList.remove('error');
    } catch (error) {
      if (ticket !== this.prepared) return;
      this.willSend.textContent = (error as Error).message;
      this.willSend.classList.add('error');
    }
  }

  private async send(): Promise<void> {
    const hex = this.hex.value.trim();
    if (!hex || !this.device()) return;
    this.sendButton.disabled = true;
    this.result.hidden = false;
    this.reply.clear('Sending…');
    this.read = undefined;
    this.renderTable();
    try {
      const result = await this.host.request('capture.send', { device: this.device(), hex });
      this.showReply(result);
    } catch (error) {
      this.reply.clear(`Not sent: ${(error as Error).message}`);
    } finally {
      this.sendButton.disabled = false;
    }
  }

  private showReply(result: ExchangeResult): void {
    if (result.response) {
      const rtt = result.roundTripMs === undefined ? '' : ` in ${result.roundTripMs.toFixed(1)} ms`;
      this.reply.show(Uint8Array.from(result.response.hex.match(/../g) ?? [], (b) => parseInt(b, 16)), result.response.decoded, `Reply${rtt}`);
    } else {
      this.reply.clear(`Reply: ${result.error ?? 'no reply'}`);
    }
    this.read = result.read;
    this.renderTable();
  }

  /** The read's values by address, each row in the chosen format (multi-row formats span rows, as in the Registers view). */
  private renderTable(): void {
    const read = this.read;
    this.tableControls.hidden = !read || read.table === 'coil' || read.table === 'discreteInput';
    this.table.hidden = !read;
    this.table.replaceChildren();
    if (!read) return;
    const bits = read.table === 'coil' || read.table === 'discreteInput';
    const head = this.table.createTHead().insertRow();
    for (const title of ['Address', 'Value', 'Hex']) {
      const th = document.createElement('th');
      th.textContent = title;
      head.append(th);
    }
    const format = { kind: this.kind, order: this.order };
    const texts = bits ? read.values.map((v) => ({ text: String(v) })) : renderRows(read.values, () => format);
    const body = this.table.createTBody();
    read.values.forEach((value, index) => {
      const row = body.insertRow();
      const text = texts[index];
      const cells = [rowAddress(read.table, read.start + index, 0), 'partOf' in text && text.partOf !== undefined ? '↳' : text.text, bits ? '' : `0x${value.toString(16).toUpperCase().padStart(4, '0')}`];
      for (const content of cells) row.insertCell().textContent = content;
    });
    const width = FORMAT_WIDTH[this.kind];
    this.table.setAttribute('aria-label', `Read values, ${bits ? 'bits' : width > 1 ? `${this.kind} ${this.order}` : this.kind}`);
  }
}
