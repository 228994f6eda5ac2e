/**
 * The register table: Address | Value | Format | Last read, virtualized (only the
 * rows in view exist, so 65,536 rows scroll like 20), with a selection driven by
 * mouse and keyboard: click, Shift+click, Ctrl+click; arrows, Shift+arrows, Home/End,
 * PageUp/PageDown; Enter or a double-click writes the active row; Ctrl+C copies.
 * Changed values flash; a row the device refused shows its exception.
 */
import { createGridSkeleton, FramePainter } from '../shared/gridSkeleton';
import { formatTime } from '../shared/format';
import type { RangeModel } from './rangeModel';

const ROW_HEIGHT = 22;
const FLASH_MS = 900;

export interface GridActions {
  write(row: number): void;
  copy(rows: number[]): void;
  selectionChanged(): void;
}

export class RegisterGrid {
  readonly element: HTMLElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private readonly painter = new FramePainter(() => this.paint());
  readonly selected = new Set<number>();
  active = 0;
  private anchor = 0;

  constructor(
    private readonly model: RangeModel,
    private readonly actions: GridActions,
  ) {
    const skeleton = createGridSkeleton({ className: 'register-grid', label: 'Registers', columns: ['Address', 'Value', 'Format', 'Last read', ''], multiselectable: true });
    this.element = skeleton.element;
    this.viewport = skeleton.viewport;
    this.spacer = skeleton.spacer;
    this.element.style.setProperty('--row-height', `${ROW_HEIGHT}px`);
    this.viewport.addEventListener('scroll', () => this.painter.schedule());
    this.viewport.addEventListener('mousedown', (event) => this.onMouseDown(event));
    this.viewport.addEventListener('dblclick', (event) => {
      const row = this.rowAt(event);
      if (row !== undefined) this.actions.write(this.model.ownerOf(row));
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    new ResizeObserver(() => this.painter.schedule()).observe(this.viewport);
  }

  refresh(): void {
    this.spacer.style.height = `${this.model.slots.length * ROW_HEIGHT}px`;
    this.painter.schedule();
  }

  /** Selected rows, or the active one when nothing is selected; in address order. */
  selection(): number[] {
    const rows = this.selected.size > 0 ? [...this.selected] : this.model.slots.length > 0 ? [this.active] : [];
    return rows.sort((a, b) => a - b);
  }

  resetSelection(): void {
    this.selected.clear();
    this.active = 0;
    this.anchor = 0;
    this.viewport.scrollTop = 0;
  }

  private rowAt(event: MouseEvent): number | undefined {
    const target = (event.target as HTMLElement).closest<HTMLElement>('.row[data-row]');
    return target ? Number(target.dataset.row) : undefined;
  }

  private onMouseDown(event: MouseEvent): void {
    const row = this.rowAt(event);
    if (row === undefined) return;
    this.element.focus();
    if (event.shiftKey) this.selectRange(this.anchor, row);
    else if (event.ctrlKey || event.metaKey) {
      if (this.selected.has(row)) this.selected.delete(row);
      else this.selected.add(row);
      this.anchor = row;
    } else {
      this.selected.clear();
      this.selected.add(row);
      this.anchor = row;
    }
    this.active = row;
    this.changed();
  }

  private selectRange(from: number, to: number): void {
    this.selected.clear();
    for (let row = Math.min(from, to); row <= Math.max(from, to); row++) this.selected.add(row);
  }

  private onKey(event: KeyboardEvent): void {
    const last = this.model.slots.length - 1;
    if (last < 0) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (event.key in moves) {
      event.preventDefault();
      const next = Math.max(0, Math.min(last, this.active + moves[event.key]));
      if (event.shiftKey) this.selectRange(this.anchor, next);
      else {
        this.selected.clear();
        this.selected.add(next);
        this.anchor = next;
      }
      this.active = next;
      this.scrollIntoView(next);
      this.changed();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.actions.write(this.model.ownerOf(this.active));
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      this.actions.copy(this.selection());
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      this.selectRange(0, last);
      this.changed();
    }
  }

  private scrollIntoView(row: number): void {
    const top = row * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
  }

  private changed(): void {
    this.painter.schedule();
    this.actions.selectionChanged();
  }

  private paint(): void {
    const first = Math.floor(this.viewport.scrollTop / ROW_HEIGHT);
    const visible = Math.ceil(this.viewport.clientHeight / ROW_HEIGHT) + 1;
    const rows = Math.max(0, Math.min(visible, this.model.slots.length - first));
    while (this.pool.length < rows) this.pool.push(this.createRow());
    const now = Date.now();
    let flashing = false;
    this.pool.forEach((element, index) => {
      const row = first + index;
      if (index >= rows) {
        element.hidden = true;
        return;
      }
      element.hidden = false;
      element.dataset.row = String(row);
      element.style.transform = `translateY(${row * ROW_HEIGHT}px)`;
      element.setAttribute('aria-rowindex', String(row + 2));
      const slot = this.model.slots[row];
      const text = this.model.text(row);
      const [address, value, format, time] = Array.from(element.children) as HTMLElement[];
      address.textContent = this.model.address(row);
      // The device's exception in short ("exception 02 (illegal data address)"); the whole message on hover.
      value.textContent = slot.error !== undefined ? (/exception .*$/.exec(slot.error)?.[0] ?? slot.error) : text.partOf !== undefined ? '↳' : text.text;
      value.title = slot.error ?? '';
      const formatOf = this.model.formatOf(this.model.ownerOf(row));
      format.textContent = this.model.bits ? 'bit' : text.partOf !== undefined ? '' : this.model.widthOf(row) > 1 ? `${formatOf.kind} ${formatOf.order}` : formatOf.kind;
      time.textContent = formatTime(slot.ts);
      element.classList.toggle('error', slot.error !== undefined);
      element.classList.toggle('invalid', text.invalid === true);
      element.classList.toggle('continued', text.partOf !== undefined);
      element.classList.toggle('selected', this.selected.has(row));
      element.classList.toggle('active', row === this.active);
      element.setAttribute('aria-selected', String(this.selected.has(row)));
      const flash = slot.changedAt !== undefined && now - slot.changedAt < FLASH_MS;
      element.classList.toggle('changed', flash);
      flashing ||= flash;
    });
    // Repaint once more when the flashes are over, so the highlight goes.
    if (flashing) window.setTimeout(() => this.painter.schedule(), FLASH_MS);
  }

  private createRow(): HTMLDivElement {
    const element = document.createElement('div');
    element.className = 'row';
    element.setAttribute('role', 'row');
    for (const name of ['address', 'value', 'format', 'time', 'rest']) {
      const cell = document.createElement('div');
      cell.className = `cell ${name}`;
      cell.setAttribute('role', 'gridcell');
      element.append(cell);
    }
    this.viewport.append(element);
    return element;
  }
}
