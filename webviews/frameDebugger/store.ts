/**
 * The frames the debugger shows: every captured frame up to the ring's bound, paired
 * request ↔ response, filtered. Plain data and no DOM, so the Chromium tests drive
 * it through the page and a reader can follow the rules in one place.
 *
 * Pairing follows the link's own rule: on Modbus/TCP a reply carries its request's
 * transaction id; on a serial line (RTU, ASCII) the reply is the next frame from the
 * unit asked, since one request at a time is outstanding on a bus.
 *
 * Pause holds arrivals aside instead of dropping them (bounded like the ring, oldest
 * first out), so resuming shows everything that came meanwhile.
 */
import type { CapturedFrame } from '../../gateway/api/capture';
import { linkFraming } from '../../gateway/api/linkFraming';
import type { Framing } from '../../gateway/api/frames';

export interface FrameRow {
  frame: CapturedFrame;
  framing: Framing;
  /** The function code as sent (exception flag included), read straight from the bytes. */
  functionCode?: number;
  /** Modbus/TCP transaction id. */
  transactionId?: number;
  /** The other half of the request/response pair. */
  pair?: FrameRow;
  /** Response time, on the response and its request alike. */
  roundTripMs?: number;
  /** A note from the gateway (dropped bytes), an exception reply, or problems the decoder found. */
  error?: string;
  /** The decoder's one-line summary, once the page asked for it. */
  summary?: string;
}

export interface FrameFilter {
  device: string;
  /** A function code as text ("3"), or '' for all; exception replies count as their function. */
  functionCode: string;
  direction: '' | 'tx' | 'rx';
  errorsOnly: boolean;
  text: string;
}

export const NO_FILTER: FrameFilter = { device: '', functionCode: '', direction: '', errorsOnly: false, text: '' };

const EXCEPTION_FLAG = 0x80;

/** Function code and transaction id from the raw frame, without a round trip to the decoder. */
export function peek(frame: CapturedFrame): Pick<FrameRow, 'framing' | 'functionCode' | 'transactionId'> {
  const framing = linkFraming(frame.link);
  const hex = frame.hex;
  const byteAt = (index: number): number | undefined => {
    const text = hex.slice(index * 2, index * 2 + 2);
    return text.length === 2 ? parseInt(text, 16) : undefined;
  };
  if (framing === 'tcp') {
    const transactionId = hex.length >= 4 ? parseInt(hex.slice(0, 4), 16) : undefined;
    return { framing, functionCode: byteAt(7), transactionId };
  }
  if (framing === 'rtu') return { framing, functionCode: byteAt(1) };
  // ASCII: ':' then hex characters; the function code is characters 3–4.
  const text = hex.match(/../g)?.map((h) => String.fromCharCode(parseInt(h, 16))).join('') ?? '';
  const code = parseInt(text.slice(3, 5), 16);
  return { framing, functionCode: Number.isNaN(code) ? undefined : code };
}

export class FrameStore {
  /** Oldest first, at most `capacity`. */
  rows: FrameRow[] = [];
  /** The rows the filter lets through, oldest first. */
  visible: FrameRow[] = [];
  readonly byId = new Map<number, FrameRow>();
  capacity = 10_000;
  /** Frames the ring dropped before the view saw them, plus what the view itself let go. */
  dropped = 0;
  private held: CapturedFrame[] = [];
  private pausedFlag = false;
  private filter: FrameFilter = { ...NO_FILTER };
  /** Requests still waiting for a reply, by pairing key. */
  private waiting = new Map<string, FrameRow>();
  /** Bumped on every change, so the list knows when to repaint. */
  version = 0;

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Frames that arrived while paused, not yet shown. */
  get heldCount(): number {
    return this.held.length;
  }

  load(frames: readonly CapturedFrame[], capacity: number, dropped: number): void {
    this.capacity = capacity;
    this.dropped = dropped;
    this.rows = [];
    this.byId.clear();
    this.waiting.clear();
    this.held = [];
    this.ingest(frames);
  }

  /** New frames: shown now, or held while paused. Returns whether the view changed. */
  add(frames: readonly CapturedFrame[]): boolean {
    if (this.pausedFlag) {
      this.held.push(...frames);
      const over = this.held.length + this.rows.length - this.capacity;
      // Keep within the ring's bound: the oldest shown rows go first, then the oldest held.
      if (over > 0) this.trim(over);
      return false;
    }
    this.ingest(frames);
    return true;
  }

  setPaused(paused: boolean): void {
    this.pausedFlag = paused;
    if (!paused && this.held.length > 0) {
      const held = this.held;
      this.held = [];
      this.ingest(held);
    }
  }

  clear(): void {
    this.load([], this.capacity, 0);
  }

  setFilter(filter: Partial<FrameFilter>): void {
    this.filter = { ...this.filter, ...filter };
    this.applyFilter();
  }

  get currentFilter(): FrameFilter {
    return { ...this.filter };
  }

  /** The decoder's verdict arrived for a row: its summary, and any problems make it an error. */
  setDecoded(id: number, summary: string, problems: readonly string[]): void {
    const row = this.byId.get(id);
    if (!row) return;
    row.summary = summary;
    if (problems.length > 0 && !row.error) row.error = problems.join('; ');
    this.version++;
  }

  /** Function codes present, for the filter's choices (exception replies under their function). */
  functionCodes(): number[] {
    const codes = new Set<number>();
    for (const row of this.rows) if (row.functionCode !== undefined) codes.add(row.functionCode & ~EXCEPTION_FLAG);
    return [...codes].sort((a, b) => a - b);
  }

  devices(): string[] {
    return [...new Set(this.rows.map((r) => r.frame.device).filter((d): d is string => d !== undefined))].sort();
  }

  private ingest(frames: readonly CapturedFrame[]): void {
    for (const frame of frames) {
      if (this.byId.has(frame.id)) continue;
      const row: FrameRow = { frame, ...peek(frame) };
      if (frame.note) row.error = frame.note;
      else if (frame.direction === 'rx' && row.functionCode !== undefined && row.functionCode & EXCEPTION_FLAG) row.error = 'exception response';
      this.pairUp(row);
      this.rows.push(row);
      this.byId.set(frame.id, row);
    }
    const over = this.rows.length + this.held.length - this.capacity;
    if (over > 0) this.trim(over);
    this.applyFilter();
  }

  private pairKey(row: FrameRow): string {
    const base = `${row.frame.link}\u0000${row.frame.device ?? ''}`;
    return row.framing === 'tcp' ? `${base}\u0000${row.transactionId}` : base;
  }

  private pairUp(row: FrameRow): void {
    // A dropped frame (late reply, bad CRC) answers nothing.
    if (row.frame.note) return;
    const key = this.pairKey(row);
    if (row.frame.direction === 'tx') {
      this.waiting.set(key, row);
      return;
    }
    const request = this.waiting.get(key);
    if (!request) return;
    this.waiting.delete(key);
    request.pair = row;
    row.pair = request;
    request.roundTripMs = row.roundTripMs = row.frame.ts - request.frame.ts;
  }

  private trim(count: number): void {
    const fromRows = Math.min(count, this.rows.length);
    for (const row of this.rows.splice(0, fromRows)) {
      this.byId.delete(row.frame.id);
      if (row.pair) row.pair.pair = undefined;
    }
    if (count > fromRows) this.held.splice(0, count - fromRows);
    this.dropped += count;
    this.applyFilter();
  }

  private applyFilter(): void {
    const { device, functionCode, direction, errorsOnly, text } = this.filter;
    const code = functionCode === '' ? undefined : Number(functionCode);
    const needle = text.trim().toLowerCase();
    const compactNeedle = needle.replace(/[\s:]/g, '');
    this.visible = this.rows.filter((row) => {
      const f = row.frame;
      if (device && f.device !== device) return false;
      if (direction && f.direction !== direction) return false;
      if (code !== undefined && (row.functionCode === undefined || (row.functionCode & ~EXCEPTION_FLAG) !== code)) return false;
      if (errorsOnly && !row.error) return false;
      if (!needle) return true;
      return (
        (f.device ?? '').toLowerCase().includes(needle) ||
        f.link.toLowerCase().includes(needle) ||
        (row.summary ?? '').toLowerCase().includes(needle) ||
        (row.error ?? '').toLowerCase().includes(needle) ||
        (compactNeedle.length >= 2 && /^[0-9a-f]+$/.test(compactNeedle) && f.hex.includes(compactNeedle))
      );
    });
    this.version++;
  }
}
