/**
 * The live frame list, virtualized like the tag grid: a pool of row elements bound to
 * whichever frames are in view, a spacer for the scrollbar, rows placed with
 * `transform` (CSSOM, allowed by our CSP), one fixed height so nothing jumps, and at
 * most one paint per animation frame however fast batches arrive.
 *
 * While the view is scrolled to the bottom it follows new frames (a live tail); once
 * the user scrolls up it stays put. Keyboard: arrows, Page Up/Down, Home/End move the
 * selection; the detail pane follows it.
 *
 * A frame of a proxy exchange shows the exchange as a tag ("plc #12"; the device's
 * reply, correlated only through its request, in a quieter style), and selecting any
 * leg marks every leg of that exchange still in the list.
 */
import { formatTime } from '../shared/format';
import { isProxyLink, proxyClient, shortCorrelation, type FrameRow, type FrameStore } from './store';
import { createGridSkeleton, FramePainter } from '../shared/gridSkeleton';

export const ROW_HEIGHT = 22;
export const COLUMNS = ['Time', 'Dir', 'Device / link', 'Exchange', 'Unit', 'Function', 'Summary', 'Round trip'] as const;
const EXCHANGE_COLUMN = COLUMNS.indexOf('Exchange');
const SUMMARY_COLUMN = COLUMNS.indexOf('Summary');

interface Slot {
  element: HTMLDivElement;
  cells: HTMLDivElement[];
  /** The exchange tag inside the Exchange cell. */
  tag: HTMLSpanElement;
  /** The injected-fault badge and the summary text, both inside the Summary cell. */
  badge: HTMLSpanElement;
  summary: HTMLSpanElement;
  position: number;
  /** The frame this row shows, while it shows one. */
  frameId?: number;
}

export interface FrameListEvents {
  onSelect(row: FrameRow | undefined): void;
  /** The row's summary is not known yet: the page asks the decoder. */
  needSummary(row: FrameRow): void;
}

export class FrameList {
  readonly element: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly slots: Slot[] = [];
  private readonly painter = new FramePainter(() => this.paint());
  private viewportHeight = 0;
  private follow = true;
  /** Every leg of the selected frame's proxy exchange, worked out once per paint. */
  private legIds = new Set<number>();
  selectedId: number | undefined;

  constructor(
    private readonly store: FrameStore,
    private readonly events: FrameListEvents,
  ) {
    ({ element: this.element, viewport: this.viewport, spacer: this.spacer } = createGridSkeleton({
      className: 'list',
      label: 'Captured frames',
      columns: COLUMNS,
    }));

    this.viewport.addEventListener(
      'scroll',
      () => {
        this.follow = this.atBottom();
        this.schedule();
      },
      { passive: true },
    );
    new ResizeObserver(() => {
      this.viewportHeight = this.viewport.clientHeight;
      this.schedule();
    }).observe(this.viewport);
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.viewport.addEventListener('mousedown', (event) => {
      // By the frame the row shows, not its position: a batch (or the ring dropping its
      // oldest) between the last paint and this click moves positions, never frame ids.
      const slot = this.slots.find((s) => s.element.contains(event.target as Node));
      if (slot && slot.position >= 0 && slot.frameId !== undefined) {
        this.follow = false;
        this.select(slot.frameId);
      }
    });
  }

  private atBottom(): boolean {
    return this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - ROW_HEIGHT / 2;
  }

  /** Ask for a paint in the next animation frame (coalesces any number of calls). */
  schedule(): void {
    this.painter.schedule();
  }

  selected(): FrameRow | undefined {
    return this.selectedId === undefined ? undefined : this.store.byId.get(this.selectedId);
  }

  select(id: number | undefined): void {
    this.selectedId = id;
    const position = id === undefined ? -1 : this.store.visible.findIndex((r) => r.frame.id === id);
    if (position >= 0) this.reveal(position);
    this.events.onSelect(this.selected());
    this.schedule();
  }

  private selectPosition(position: number): void {
    const row = this.store.visible[position];
    if (!row) return;
    this.follow = false;
    this.select(row.frame.id);
  }

  private reveal(position: number): void {
    const top = position * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewportHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewportHeight;
  }

  private onKey(event: KeyboardEvent): void {
    const count = this.store.visible.length;
    if (count === 0) return;
    const current = this.store.visible.findIndex((r) => r.frame.id === this.selectedId);
    const page = Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT) - 1);
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = current < 0 ? 0 : current + 1;
        break;
      case 'ArrowUp':
        next = current < 0 ? count - 1 : current - 1;
        break;
      case 'PageDown':
        next = current + page;
        break;
      case 'PageUp':
        next = current - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.selectPosition(Math.max(0, Math.min(count - 1, next)));
  }

  private paint(): void {
    const rows = this.store.visible;
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    if (this.follow) this.viewport.scrollTop = this.viewport.scrollHeight;
    const first = Math.floor(this.viewport.scrollTop / ROW_HEIGHT);
    const count = Math.ceil(this.viewportHeight / ROW_HEIGHT) + 1;
    while (this.slots.length < count) this.slots.push(this.createSlot());
    this.element.setAttribute('aria-rowcount', String(rows.length + 1));
    const exchange = this.store.exchangeOf(this.selected());
    this.legIds = new Set(exchange?.legs.map((leg) => leg.row.frame.id));
    this.slots.forEach((slot, index) => {
      const position = first + index;
      const row = rows[position];
      if (!row || index >= count) {
        // A pooled row out of use claims no frame: no id, not selected, not a pair or leg.
        slot.element.hidden = true;
        slot.position = -1;
        slot.frameId = undefined;
        delete slot.element.dataset.id;
        slot.element.classList.remove('selected', 'paired', 'leg');
        return;
      }
      slot.element.hidden = false;
      slot.position = position;
      this.bind(slot, row, position);
    });
  }

  private createSlot(): Slot {
    const element = document.createElement('div');
    element.className = 'row';
    element.setAttribute('role', 'row');
    const cells = COLUMNS.map((_, index) => {
      const cell = document.createElement('div');
      cell.className = `cell col-${index}`;
      cell.setAttribute('role', 'gridcell');
      element.append(cell);
      return cell;
    });
    const tag = document.createElement('span');
    tag.className = 'xtag';
    tag.hidden = true;
    cells[EXCHANGE_COLUMN].append(tag);
    // Summary cell: an "injected" badge (fault injection) before the text.
    const badge = document.createElement('span');
    badge.className = 'injected-badge';
    badge.hidden = true;
    const summary = document.createElement('span');
    summary.className = 'summary-text';
    cells[SUMMARY_COLUMN].append(badge, summary);
    this.viewport.append(element);
    return { element, cells, tag, badge, summary, position: -1 };
  }

  private bind(slot: Slot, row: FrameRow, position: number): void {
    const f = row.frame;
    slot.element.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
    slot.element.setAttribute('aria-rowindex', String(position + 2));
    slot.element.dataset.id = String(f.id);
    slot.frameId = f.id;
    const selected = f.id === this.selectedId;
    const paired = this.selectedId !== undefined && row.pair?.frame.id === this.selectedId;
    slot.element.classList.toggle('selected', selected);
    slot.element.classList.toggle('paired', paired);
    slot.element.classList.toggle('leg', this.legIds.has(f.id));
    slot.element.classList.toggle('error', row.error !== undefined);
    slot.element.classList.toggle('rx', f.direction === 'rx');
    slot.element.classList.toggle('no-reply', row.noReply === true);
    slot.element.classList.toggle('injected', row.injected !== undefined);
    slot.element.setAttribute('aria-selected', String(selected));
    const code = row.functionCode;
    const client = isProxyLink(f.link);
    const texts = [
      formatTime(f.ts),
      `${f.direction === 'tx' ? '→' : '←'} ${row.request ? 'req' : row.noReply ? 'none' : 'resp'}`,
      client ? `client ${proxyClient(f.link)}` : (f.device ?? f.link),
      undefined,
      f.unitId === undefined ? '' : String(f.unitId),
      code === undefined ? '—' : `${code & 0x7f}${code & 0x80 ? ' ⚠' : ''}`,
      undefined,
      row.noReply ? 'no reply' : row.roundTripMs === undefined ? (row.request && !row.pair ? 'no reply yet' : '') : `${row.roundTripMs.toFixed(1)} ms`,
    ];
    const summary = summaryText(row);
    if (slot.summary.textContent !== summary) slot.summary.textContent = summary;
    const badge = row.injected === undefined ? '' : `injected: ${row.injected}`;
    slot.badge.hidden = badge === '';
    if (slot.badge.textContent !== badge) slot.badge.textContent = badge;
    texts.forEach((text, index) => {
      if (text !== undefined && slot.cells[index].textContent !== text) slot.cells[index].textContent = text;
    });
    slot.cells[2].title = client && f.device ? `${f.link}, forwarded to ${f.device}` : f.link;
    slot.cells[6].title = [row.injected === undefined ? '' : `Fault injected by the simulator: ${row.injected}`, row.error ?? row.summary ?? ''].filter(Boolean).join('\n');
    this.bindTag(slot, row);
    if (row.summary === undefined) this.events.needSummary(row);
  }

  private bindTag(slot: Slot, row: FrameRow): void {
    const correlation = row.correlation;
    const cell = slot.cells[EXCHANGE_COLUMN];
    const text = correlation === undefined ? '' : shortCorrelation(correlation);
    // The device's reply carries no correlation of its own: it joins through its request.
    const inherited = correlation !== undefined && row.frame.correlation === undefined;
    if (slot.tag.textContent !== text) slot.tag.textContent = text;
    slot.tag.hidden = correlation === undefined;
    slot.tag.classList.toggle('inherited', inherited);
    cell.title =
      correlation === undefined ? '' : inherited ? `${correlation} (the device's reply to its request${row.pair ? ` #${row.pair.frame.id}` : ''})` : correlation;
  }
}

/**
 * The Summary column: a no-reply marker says why; a frame the gateway noted (a late
 * reply it dropped, one under the wrong transaction id) leads with the note, which
 * is the news, and keeps its decode after it, so the reason does not vanish when the
 * decode arrives.
 */
function summaryText(row: FrameRow): string {
  if (row.noReply && !row.request) return row.error ?? 'no reply';
  const note = row.noReply ? undefined : row.frame.note;
  if (note) return row.summary ? `${note} · ${row.summary}` : note;
  return row.error && !row.summary ? row.error : (row.summary ?? '…');
}
