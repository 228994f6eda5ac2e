/**
 * The tag table, virtualized: only the rows in view (plus one) exist in the DOM, in a
 * pool of row elements that are re-bound to whichever tags scroll into view. A spacer
 * gives the scrollbar the full height. Rows are placed with `transform` (CSSOM, which
 * our CSP allows, unlike style attributes) and have one fixed height, so nothing shifts.
 *
 * Painting happens once per animation frame at most: value batches only mark the
 * store, and `schedule()` asks for a frame. A pooled row repaints only the cells whose
 * text changed, and its sparkline only when its tag's version moved.
 *
 * Keyboard: arrows move the active cell, Shift extends the selection, Page Up/Down,
 * Home/End, Enter asks to write the active row, Ctrl/Cmd+C copies the selected rows.
 */
import { formatTagValue, formatTime, type DisplayMode } from '../shared/format';
import { createSparkline, drawSparkline } from './sparkline';
import type { RowState, WatchStore } from './store';
import { createGridSkeleton, FramePainter } from '../shared/gridSkeleton';

export const ROW_HEIGHT = 22;
/** Keep in step with the animation's duration in styles.css. */
export const FLASH_MS = 700;

export const COLUMNS = ['Name', 'Address', 'Type', 'Value', 'Unit', 'Quality', 'Read', 'Changed', 'Trend'] as const;
const VALUE_COLUMN = 3;
const QUALITY_COLUMN = 5;
const READ_COLUMN = 6;
const CHANGED_COLUMN = 7;
const TREND_COLUMN = 8;
/** Cells whose whole text is one hover away: they may be cut by the column. */
const TITLED_COLUMNS: ReadonlySet<number> = new Set([0, QUALITY_COLUMN]);

interface Slot {
  element: HTMLDivElement;
  cells: HTMLDivElement[];
  texts: string[];
  canvas: HTMLCanvasElement;
  /** The visible position bound to this slot, -1 when unused. */
  position: number;
  rowIndex: number;
  version: number;
  mode: DisplayMode | '';
  flashedAt: number;
  flashOdd: boolean;
}

export interface GridEvents {
  /** Enter or a double click on a row: the app opens the write panel for it. */
  onActivate(row: RowState): void;
  /** The active row changed (decode-as follows it). */
  onActiveRowChange(row: RowState | undefined): void;
  onCopy(rows: RowState[]): void;
}

export class TagGrid {
  readonly element: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly slots: Slot[] = [];
  private readonly painter = new FramePainter((now) => this.paint(now));
  private viewportHeight = 0;
  private mode: DisplayMode = 'decimal';
  /** Active cell and selection anchor, as positions in `store.visible`. */
  private active = 0;
  private activeColumn = 0;
  private anchor = 0;
  private lastActiveKey: string | undefined;

  constructor(
    private readonly store: WatchStore,
    private readonly events: GridEvents,
  ) {
    ({ element: this.element, viewport: this.viewport, spacer: this.spacer } = createGridSkeleton({
      className: 'grid',
      label: 'Watched tags',
      columns: COLUMNS,
      multiselectable: true,
      headerRowIndex: 1,
    }));

    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => {
      this.viewportHeight = this.viewport.clientHeight;
      this.schedule();
    }).observe(this.viewport);
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.viewport.addEventListener('mousedown', (event) => this.onMouse(event));
    this.viewport.addEventListener('dblclick', () => {
      const row = this.activeRow();
      if (row) this.events.onActivate(row);
    });
  }

  /** Repaint every row in view (the theme changed: sparklines take new colours). */
  invalidate(): void {
    for (const slot of this.slots) slot.version = -1;
    this.schedule();
  }

  setMode(mode: DisplayMode): void {
    this.mode = mode;
    this.schedule();
  }

  /** After load or filter: the row count changed. Keeps the active tag if it is still shown. */
  refreshLayout(activeKey = this.lastActiveKey): void {
    const count = this.store.visible.length;
    this.spacer.style.height = `${count * ROW_HEIGHT}px`;
    this.element.setAttribute('aria-rowcount', String(count + 1));
    const index = activeKey === undefined ? undefined : this.store.indexOfKey(activeKey);
    const position = index === undefined ? -1 : this.store.visible.indexOf(index);
    this.active = this.anchor = position >= 0 ? position : Math.min(this.active, Math.max(0, count - 1));
    for (const slot of this.slots) slot.position = -1;
    this.notifyActive();
    this.schedule();
  }

  get scrollTop(): number {
    return this.viewport.scrollTop;
  }

  set scrollTop(value: number) {
    this.viewport.scrollTop = value;
  }

  activeRow(): RowState | undefined {
    const index = this.store.visible[this.active];
    return index === undefined ? undefined : this.store.rows[index];
  }

  selectedRows(): RowState[] {
    const [from, to] = this.active < this.anchor ? [this.active, this.anchor] : [this.anchor, this.active];
    const rows: RowState[] = [];
    for (let p = from; p <= to && p < this.store.visible.length; p++) rows.push(this.store.rows[this.store.visible[p]]);
    return rows;
  }

  /** Asks for one paint in the next animation frame; extra calls before it are free. */
  schedule(): void {
    this.painter.schedule();
  }

  private paint(now: number): void {
    const visible = this.store.visible;
    const height = this.viewportHeight || this.viewport.clientHeight;
    const first = Math.floor(this.viewport.scrollTop / ROW_HEIGHT);
    const count = Math.min(visible.length - first, Math.ceil(height / ROW_HEIGHT) + 1);
    while (this.slots.length < count) this.slots.push(this.createSlot());
    const [selFrom, selTo] = this.active < this.anchor ? [this.active, this.anchor] : [this.anchor, this.active];
    for (let j = 0; j < this.slots.length; j++) {
      const slot = this.slots[j];
      const position = first + j;
      if (j >= count) {
        if (slot.position !== -1) {
          slot.element.hidden = true;
          slot.position = -1;
        }
        continue;
      }
      this.bind(slot, position, visible[position], now);
      slot.element.classList.toggle('selected', position >= selFrom && position <= selTo);
      slot.element.setAttribute('aria-selected', String(position >= selFrom && position <= selTo));
      const isActive = position === this.active;
      slot.element.classList.toggle('active', isActive);
      slot.cells.forEach((cell, c) => cell.classList.toggle('active-cell', isActive && c === this.activeColumn));
      if (isActive) this.element.setAttribute('aria-activedescendant', slot.cells[this.activeColumn].id);
    }
  }

  private bind(slot: Slot, position: number, rowIndex: number, now: number): void {
    const row = this.store.rows[rowIndex];
    const rebound = slot.rowIndex !== rowIndex || slot.position !== position;
    if (rebound) {
      slot.element.hidden = false;
      slot.element.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
      slot.element.setAttribute('aria-rowindex', String(position + 2));
      slot.element.classList.remove('flash-a', 'flash-b');
      slot.position = position;
      // A tag scrolled into view shows no flash for a change that happened out of sight.
      slot.flashedAt = row.changedAt;
      slot.version = -1;
    }
    if (slot.rowIndex !== rowIndex || slot.version !== row.version || slot.mode !== this.mode) {
      slot.rowIndex = rowIndex;
      slot.version = row.version;
      slot.mode = this.mode;
      this.fillCells(slot, row);
      drawSparkline(slot.canvas, row);
    }
    if (row.changedAt > slot.flashedAt && now - row.changedAt < FLASH_MS) {
      // Two identical animations under two names: switching name restarts it without
      // forcing a layout, so a value changing every 100 ms flashes every time.
      slot.flashOdd = !slot.flashOdd;
      slot.element.classList.remove(slot.flashOdd ? 'flash-b' : 'flash-a');
      slot.element.classList.add(slot.flashOdd ? 'flash-a' : 'flash-b');
      slot.flashedAt = row.changedAt;
    }
  }

  private fillCells(slot: Slot, row: RowState): void {
    const m = row.meta;
    const value = row.value;
    const quality = value?.quality;
    const notAnswering = row.deviceState === 'notAnswering' && quality !== 'good';
    const texts = [
      m.name,
      m.address,
      m.type,
      formatTagValue(value, this.mode, m.bits),
      m.unit ?? '',
      qualityText(value, notAnswering),
      formatTime(value?.ts),
      formatTime(value ? (value.changedAt ?? value.ts) : undefined),
      '',
    ];
    for (let c = 0; c < TREND_COLUMN; c++) {
      if (slot.texts[c] === texts[c]) continue;
      slot.texts[c] = texts[c];
      slot.cells[c].textContent = texts[c];
      if (TITLED_COLUMNS.has(c)) slot.cells[c].title = texts[c];
      else if (c === READ_COLUMN) slot.cells[c].title = texts[c] ? `Last read at ${texts[c]}` : '';
      else if (c === CHANGED_COLUMN) slot.cells[c].title = texts[c] ? `Value last changed at ${texts[c]}` : '';
    }
    slot.element.dataset.quality = notAnswering ? 'notAnswering' : (quality ?? 'none');
  }

  private createSlot(): Slot {
    const id = this.slots.length;
    const element = document.createElement('div');
    element.className = 'row';
    element.setAttribute('role', 'row');
    const cells = COLUMNS.map((_, c) => {
      const cell = document.createElement('div');
      cell.className = `cell col-${c}`;
      cell.id = `cell-${id}-${c}`;
      cell.setAttribute('role', 'gridcell');
      element.append(cell);
      return cell;
    });
    cells[VALUE_COLUMN].classList.add('value');
    cells[QUALITY_COLUMN].classList.add('quality');
    const canvas = createSparkline();
    cells[TREND_COLUMN].append(canvas);
    this.viewport.append(element);
    return { element, cells, texts: [], canvas, position: -1, rowIndex: -1, version: -1, mode: '', flashedAt: 0, flashOdd: false };
  }

  private onMouse(event: MouseEvent): void {
    const rowElement = (event.target as HTMLElement).closest('.row');
    const slot = this.slots.find((s) => s.element === rowElement);
    if (!slot || slot.position < 0) return;
    const cell = (event.target as HTMLElement).closest('.cell');
    const column = slot.cells.findIndex((c) => c === cell);
    if (column >= 0) this.activeColumn = column;
    this.moveTo(slot.position, event.shiftKey);
    this.element.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const last = this.store.visible.length - 1;
    const extend = event.shiftKey;
    switch (event.key) {
      case 'ArrowDown':
        this.moveTo(this.active + 1, extend);
        break;
      case 'ArrowUp':
        this.moveTo(this.active - 1, extend);
        break;
      case 'PageDown':
        this.moveTo(this.active + page, extend);
        break;
      case 'PageUp':
        this.moveTo(this.active - page, extend);
        break;
      case 'Home':
        if (event.ctrlKey || event.metaKey) this.moveTo(0, extend);
        else this.activeColumn = 0;
        break;
      case 'End':
        if (event.ctrlKey || event.metaKey) this.moveTo(last, extend);
        else this.activeColumn = COLUMNS.length - 1;
        break;
      case 'ArrowLeft':
        this.activeColumn = Math.max(0, this.activeColumn - 1);
        break;
      case 'ArrowRight':
        this.activeColumn = Math.min(COLUMNS.length - 1, this.activeColumn + 1);
        break;
      case 'Enter':
      case 'F2': {
        const row = this.activeRow();
        if (row) this.events.onActivate(row);
        break;
      }
      case 'c':
      case 'C':
        if (!(event.ctrlKey || event.metaKey)) return;
        this.events.onCopy(this.selectedRows());
        break;
      case 'a':
        if (!(event.ctrlKey || event.metaKey)) return;
        this.anchor = 0;
        this.active = last;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.schedule();
  }

  private moveTo(position: number, extend: boolean): void {
    const last = this.store.visible.length - 1;
    if (last < 0) return;
    this.active = Math.max(0, Math.min(last, position));
    if (!extend) this.anchor = this.active;
    // Scroll just enough to show the active row.
    const top = this.active * ROW_HEIGHT;
    const height = this.viewport.clientHeight;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + height) this.viewport.scrollTop = top + ROW_HEIGHT - height;
    this.notifyActive();
    this.schedule();
  }

  private notifyActive(): void {
    const row = this.activeRow();
    if (row?.key === this.lastActiveKey) return;
    this.lastActiveKey = row?.key;
    this.events.onActiveRowChange(row);
  }

  get activeKey(): string | undefined {
    return this.lastActiveKey;
  }
}

/** The Quality cell: `good`, or why not, in the device's present words. */
export function qualityText(value: RowState['value'], notAnswering: boolean): string {
  if (!value) return notAnswering ? 'not answering' : 'not read';
  if (notAnswering) return `not answering${value.error ? `: ${value.error}` : ''}`;
  if (value.quality === 'bad') return `error: ${value.error ?? 'unknown'}`;
  if (value.quality === 'stale') return `stale${value.error ? `: ${value.error}` : ''}`;
  return 'good';
}
