/**
 * One decoded frame: the decoder's field tree beside a hex dump of the same bytes.
 * Hovering (or focusing) a field highlights its bytes; hovering a byte highlights the
 * innermost field that covers it, and its bytes. Offsets come from the decoder and
 * count the bytes as captured (for ASCII, the characters), so the dump shows exactly
 * those bytes. A broken frame lists the decoder's problems above the tree.
 *
 * Keyboard: the tree is one tab stop (roving tabindex); Up/Down move between fields.
 */
import type { DecodedFrame, FrameField } from '../../gateway/api/frames';

const BYTES_PER_LINE = 16;

interface Placed {
  field: FrameField;
  element: HTMLElement;
  depth: number;
}

export class FrameView {
  readonly element: HTMLDivElement;
  private readonly heading: HTMLDivElement;
  private readonly problems: HTMLUListElement;
  private readonly tree: HTMLDivElement;
  private readonly dump: HTMLDivElement;
  private byteCells: HTMLSpanElement[] = [];
  private placed: Placed[] = [];

  constructor(label: string) {
    this.element = document.createElement('div');
    this.element.className = 'frame-view';
    this.heading = document.createElement('div');
    this.heading.className = 'frame-heading';
    this.problems = document.createElement('ul');
    this.problems.className = 'problems';
    this.problems.setAttribute('aria-label', 'What is wrong with this frame');
    const body = document.createElement('div');
    body.className = 'frame-body';
    this.tree = document.createElement('div');
    this.tree.className = 'fields';
    this.tree.setAttribute('role', 'tree');
    this.tree.setAttribute('aria-label', `${label}: decoded fields`);
    this.dump = document.createElement('div');
    this.dump.className = 'hexdump';
    this.dump.setAttribute('aria-label', `${label}: bytes`);
    body.append(this.tree, this.dump);
    this.element.append(this.heading, this.problems, body);

    this.tree.addEventListener('mouseover', (event) => this.highlightField(this.fieldAt(event.target)));
    this.tree.addEventListener('focusin', (event) => this.highlightField(this.fieldAt(event.target)));
    this.tree.addEventListener('mouseleave', () => this.highlightField(undefined));
    this.tree.addEventListener('keydown', (event) => this.onKey(event));
    this.dump.addEventListener('mouseover', (event) => {
      const offset = (event.target as HTMLElement).dataset?.offset;
      this.highlightByte(offset === undefined ? undefined : Number(offset));
    });
    this.dump.addEventListener('mouseleave', () => this.highlightField(undefined));
  }

  clear(message: string): void {
    this.heading.textContent = message;
    this.problems.replaceChildren();
    this.tree.replaceChildren();
    this.dump.replaceChildren();
    this.byteCells = [];
    this.placed = [];
  }

  show(bytes: Uint8Array, decoded: DecodedFrame | undefined, heading: string): void {
    this.heading.textContent = decoded ? `${heading} — ${decoded.summary}` : heading;
    this.problems.replaceChildren(
      ...(decoded?.problems ?? []).map((problem) => {
        const item = document.createElement('li');
        item.textContent = problem;
        return item;
      }),
    );
    this.renderDump(bytes);
    this.placed = [];
    this.tree.replaceChildren();
    if (decoded) this.renderFields(decoded.fields, this.tree, 0);
    const first = this.placed[0];
    if (first) first.element.tabIndex = 0;
  }

  private renderDump(bytes: Uint8Array): void {
    this.byteCells = [];
    const lines: HTMLElement[] = [];
    for (let start = 0; start < bytes.length; start += BYTES_PER_LINE) {
      const line = document.createElement('div');
      line.className = 'hexline';
      const offset = document.createElement('span');
      offset.className = 'offset';
      offset.textContent = start.toString(16).padStart(4, '0');
      const hex = document.createElement('span');
      hex.className = 'hexbytes';
      const text = document.createElement('span');
      text.className = 'ascii';
      for (let i = start; i < Math.min(bytes.length, start + BYTES_PER_LINE); i++) {
        const cell = document.createElement('span');
        cell.className = 'byte';
        cell.dataset.offset = String(i);
        cell.textContent = bytes[i].toString(16).toUpperCase().padStart(2, '0');
        hex.append(cell);
        this.byteCells.push(cell);
      }
      text.textContent = Array.from(bytes.subarray(start, start + BYTES_PER_LINE), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join('');
      line.append(offset, hex, text);
      lines.push(line);
    }
    this.dump.replaceChildren(...lines);
  }

  private renderFields(fields: readonly FrameField[], parent: HTMLElement, depth: number): void {
    for (const field of fields) {
      const item = document.createElement('div');
      item.className = 'field';
      item.setAttribute('role', 'treeitem');
      item.setAttribute('aria-level', String(depth + 1));
      item.tabIndex = -1;
      item.dataset.index = String(this.placed.length);
      const line = document.createElement('div');
      line.className = 'field-line';
      line.style.paddingLeft = `${depth * 14 + 4}px`;
      const name = document.createElement('span');
      name.className = 'field-name';
      name.textContent = field.name;
      const value = document.createElement('span');
      value.className = 'field-value';
      value.textContent = field.value === null ? '' : String(field.value);
      line.append(name, value);
      if (field.meaning) {
        const meaning = document.createElement('span');
        meaning.className = 'field-meaning';
        meaning.textContent = field.meaning;
        line.append(meaning);
      }
      item.append(line);
      parent.append(item);
      this.placed.push({ field, element: item, depth });
      if (field.children?.length) {
        item.setAttribute('aria-expanded', 'true');
        const group = document.createElement('div');
        group.setAttribute('role', 'group');
        item.append(group);
        this.renderFields(field.children, group, depth + 1);
      }
    }
  }

  private fieldAt(target: EventTarget | null): Placed | undefined {
    const item = (target as HTMLElement | null)?.closest?.('.field') as HTMLElement | null;
    return item ? this.placed[Number(item.dataset.index)] : undefined;
  }

  /** Highlights one field and its bytes (nothing when undefined). */
  highlightField(placed: Placed | undefined): void {
    for (const p of this.placed) p.element.classList.toggle('hot', p === placed);
    const from = placed?.field.offset ?? -1;
    const to = placed ? placed.field.offset + placed.field.length : -1;
    this.byteCells.forEach((cell, offset) => cell.classList.toggle('hot', offset >= from && offset < to));
  }

  /** The innermost field covering byte `offset`: the deepest, then the shortest. */
  highlightByte(offset: number | undefined): void {
    if (offset === undefined) return this.highlightField(undefined);
    let best: Placed | undefined;
    for (const p of this.placed) {
      const { offset: start, length } = p.field;
      if (offset < start || offset >= start + length) continue;
      if (!best || p.depth > best.depth || (p.depth === best.depth && length < best.field.length)) best = p;
    }
    this.highlightField(best);
  }

  private onKey(event: KeyboardEvent): void {
    const current = this.fieldAt(event.target);
    if (!current || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    event.preventDefault();
    const index = this.placed.indexOf(current) + (event.key === 'ArrowDown' ? 1 : -1);
    const next = this.placed[index];
    if (!next) return;
    current.element.tabIndex = -1;
    next.element.tabIndex = 0;
    next.element.focus();
  }
}
