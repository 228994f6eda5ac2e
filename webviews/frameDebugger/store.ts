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
 *
 * A proxy's exchange spans links: its client's request (rx) and the reply to it (tx)
 * on "proxy://NAME/CLIENT", and the request to the device (tx) on the device's own
 * link, all three carrying the same `correlation`. The device's reply carries none;
 * it joins the exchange through its pairing with the device request. On a proxy
 * link the request is the frame that arrives, so pairing asks each frame's role
 * (request or response), not its direction.
 *
 * A request the device never answered is an error. The gateway says so with a
 * marker frame when the timeout fires: direction rx, no bytes, a note "no reply
 * within N ms". The marker pairs with the oldest request still waiting on that
 * link, device and unit (a timed-out request has no reply to carry its
 * transaction id), and both count under "Errors only". On a serial bus, where one
 * request at a time is outstanding, a request still waiting when the next one goes
 * out was not answered either, marker or not. On TCP without a marker, a request
 * still waiting when a later one to the same device is answered is shown as not
 * answered; should its reply still come (a device that answers out of order), the
 * pair is made and the error goes.
 */
import type { CapturedFrame } from '../../gateway/api/capture';
import { isProxyLink, isRequestFrame, linkFraming, proxyClientAddress } from '../../gateway/api/linkFraming';
import type { Framing } from '../../gateway/api/frames';

export interface FrameRow {
  frame: CapturedFrame;
  framing: Framing;
  /** A request (the gateway's to a device, or a proxy client's to the gateway), else a response. */
  request: boolean;
  /** The proxy exchange it belongs to: the frame's own correlation, or its request's for a device reply. */
  correlation?: string;
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
  /** A request that got no reply, or the gateway's marker saying so. */
  noReply?: boolean;
  /** noReply was inferred (a later request was answered first), not reported: a late reply still clears it. */
  presumed?: boolean;
  /** The simulator's fault injection made this frame what it is ("delay 1500 ms"). */
  injected?: string;
}

/** The gateway's "no reply" marker: an rx frame without bytes, put in place of the reply that never came. */
export function isNoReplyMarker(frame: CapturedFrame): boolean {
  return frame.direction === 'rx' && frame.hex === '';
}

export interface FrameFilter {
  device: string;
  /** A function code as text ("3"), or '' for all; exception replies count as their function. */
  functionCode: string;
  /** 'tx': requests only, 'rx': replies only (by role: a proxy's client sends requests to us). */
  direction: '' | 'tx' | 'rx';
  errorsOnly: boolean;
  text: string;
}

/** One frame of a proxy exchange, named by what it is in the exchange. */
export type LegRole = 'client request' | 'device request' | 'device reply' | 'client reply';

export interface ExchangeLeg {
  role: LegRole;
  row: FrameRow;
}

/**
 * Every leg of one proxy exchange still in the list, in capture order, and the time
 * each hop took. A hop whose ends are not both here (evicted, not yet arrived) is absent.
 */
export interface Exchange {
  correlation: string;
  legs: ExchangeLeg[];
  /** Client request arrived → first request to the device left. */
  forwardMs?: number;
  /** Request to the device → its reply (the answered attempt, when there were retries). */
  deviceRoundTripMs?: number;
  /** Device reply arrived → reply to the client left. */
  returnMs?: number;
  /** Client request arrived → reply to the client left: the time as the client saw it. */
  totalMs?: number;
}

export const NO_FILTER: FrameFilter = { device: '', functionCode: '', direction: '', errorsOnly: false, text: '' };

const EXCEPTION_FLAG = 0x80;

const PRESUMED_LOST = 'no reply (a later request was answered first)';

// Which links are a proxy's clients, how each frames and which frames are requests: the gateway's own rules.
export { isProxyLink };

/** "proxy plc #12" → "plc #12": the tag a row shows; the full text goes in its tooltip. */
export function shortCorrelation(correlation: string): string {
  return correlation.replace(/^proxy\s+/, '');
}

/** The client's address from "proxy://NAME/CLIENT". */
export function proxyClient(link: string): string {
  return proxyClientAddress(link) ?? link;
}

/**
 * Does the filter text find this correlation? A substring, except that a number at
 * either end of the text must be whole: "#12" finds "proxy plc #12", not "#120" or "#112".
 */
export function correlationMatches(correlation: string, needle: string): boolean {
  const text = correlation.toLowerCase();
  const digit = /[0-9]/;
  const wholeEnd = digit.test(needle.charAt(needle.length - 1));
  const wholeStart = digit.test(needle.charAt(0));
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (wholeEnd && digit.test(text.charAt(at + needle.length))) continue;
    if (wholeStart && at > 0 && digit.test(text.charAt(at - 1))) continue;
    return true;
  }
  return false;
}

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
  /** The rows of each proxy exchange, oldest first. */
  private exchanges = new Map<string, FrameRow[]>();
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
    this.exchanges.clear();
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

  /** The proxy exchange `row` belongs to, with every leg still in the list; undefined when none. */
  exchangeOf(row: FrameRow | undefined): Exchange | undefined {
    return this.exchange(row?.correlation);
  }

  /** The proxy exchange with this correlation, with every leg still in the list; undefined when none is. */
  exchange(correlation: string | undefined): Exchange | undefined {
    const rows = correlation === undefined ? undefined : this.exchanges.get(correlation);
    if (correlation === undefined || !rows) return undefined;
    const legs = rows.map((r): ExchangeLeg => {
      const client = isProxyLink(r.frame.link);
      const role: LegRole = r.request ? (client ? 'client request' : 'device request') : client ? 'client reply' : 'device reply';
      return { role, row: r };
    });
    const first = (role: LegRole) => legs.find((l) => l.role === role)?.row;
    const clientRequest = first('client request');
    const deviceRequest = first('device request');
    // With retries, the attempt the device answered is the one whose reply is here.
    const answered = [...legs].reverse().find((l) => l.role === 'device request' && l.row.pair)?.row;
    const deviceReply = answered?.pair ?? first('device reply');
    const clientReply = first('client reply');
    const between = (from?: FrameRow, to?: FrameRow) => (from && to ? to.frame.ts - from.frame.ts : undefined);
    const exchange: Exchange = { correlation, legs };
    const hops = {
      forwardMs: between(clientRequest, deviceRequest),
      deviceRoundTripMs: answered?.pair ? answered.roundTripMs : undefined,
      returnMs: between(deviceReply, clientReply),
      totalMs: between(clientRequest, clientReply),
    };
    for (const [key, value] of Object.entries(hops)) if (value !== undefined) exchange[key as keyof typeof hops] = value;
    return exchange;
  }

  devices(): string[] {
    return [...new Set(this.rows.map((r) => r.frame.device).filter((d): d is string => d !== undefined))].sort();
  }

  private ingest(frames: readonly CapturedFrame[]): void {
    for (const frame of frames) {
      if (this.byId.has(frame.id)) continue;
      const marker = isNoReplyMarker(frame);
      const row: FrameRow = marker ? { frame, request: false, framing: linkFraming(frame.link) } : { frame, request: isRequestFrame(frame), ...peek(frame) };
      if (frame.correlation !== undefined) row.correlation = frame.correlation;
      if (frame.injected !== undefined) row.injected = frame.injected;
      if (marker) this.markNoReply(row);
      else if (frame.note) row.error = frame.note;
      else if (!row.request && row.functionCode !== undefined && row.functionCode & EXCEPTION_FLAG) row.error = 'exception response';
      this.pairUp(row);
      this.rows.push(row);
      this.byId.set(frame.id, row);
      if (row.correlation !== undefined) {
        const legs = this.exchanges.get(row.correlation);
        if (legs) legs.push(row);
        else this.exchanges.set(row.correlation, [row]);
      }
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
    if (row.frame.answers !== undefined && row.framing === 'tcp') return this.pairWrongId(row, row.frame.answers);
    // A dropped frame (late reply, bad CRC) answers nothing; a marker paired itself.
    if (row.frame.note || row.noReply) return;
    const key = this.pairKey(row);
    if (row.request) {
      const unanswered = this.waiting.get(key);
      // One request at a time on a bus: the one still waiting was given up on.
      if (unanswered && row.framing !== 'tcp') this.giveUp(unanswered, 'no reply (the next request went out first)');
      this.waiting.set(key, row);
      return;
    }
    const request = this.waiting.get(key);
    if (!request) return;
    this.waiting.delete(key);
    if (request.presumed) {
      // Answered after all, out of order.
      if (request.error === PRESUMED_LOST) request.error = undefined;
      request.presumed = request.noReply = undefined;
    }
    if (row.framing === 'tcp') this.presumeLostBefore(request);
    request.pair = row;
    row.pair = request;
    request.roundTripMs = row.roundTripMs = row.frame.ts - request.frame.ts;
    // A device's reply belongs to the exchange its request was sent for.
    if (row.correlation === undefined && request.correlation !== undefined) row.correlation = request.correlation;
  }

  /** A reply under a wrong transaction id, taken for the request with `transactionId`: that request failed with the reply's note. */
  private pairWrongId(row: FrameRow, transactionId: number): void {
    const key = `${row.frame.link}\u0000${row.frame.device ?? ''}\u0000${transactionId}`;
    const request = this.waiting.get(key);
    if (!request) return;
    this.waiting.delete(key);
    request.error = row.frame.note ?? 'answered under another transaction id';
    request.pair = row;
    row.pair = request;
    request.roundTripMs = row.roundTripMs = row.frame.ts - request.frame.ts;
  }

  /** The marker stands for the reply that never came: it pairs with the oldest request waiting on its link, device and unit. */
  private markNoReply(marker: FrameRow): void {
    const note = marker.frame.note ?? 'no reply';
    marker.noReply = true;
    marker.summary = 'no reply';
    marker.error = note;
    const f = marker.frame;
    let oldest: [string, FrameRow] | undefined;
    for (const entry of this.waiting) {
      const request = entry[1].frame;
      if (request.link !== f.link || request.device !== f.device) continue;
      if (f.unitId !== undefined && request.unitId !== undefined && request.unitId !== f.unitId) continue;
      if (!oldest || request.ts < oldest[1].frame.ts) oldest = entry;
    }
    if (!oldest) return;
    this.waiting.delete(oldest[0]);
    this.giveUp(oldest[1], note);
    oldest[1].pair = marker;
    marker.pair = oldest[1];
    if (marker.correlation === undefined && oldest[1].correlation !== undefined) marker.correlation = oldest[1].correlation;
  }

  /** TCP without a marker: requests to the same device sent before `answered` and still waiting. */
  private presumeLostBefore(answered: FrameRow): void {
    const f = answered.frame;
    for (const waiting of this.waiting.values()) {
      const w = waiting.frame;
      if (w.link !== f.link || w.device !== f.device || w.ts >= f.ts || waiting.noReply) continue;
      waiting.noReply = waiting.presumed = true;
      waiting.error ??= PRESUMED_LOST;
    }
  }

  private giveUp(request: FrameRow, reason: string): void {
    // The gateway's own word replaces a guess.
    if (request.presumed && request.error === PRESUMED_LOST) request.error = reason;
    request.presumed = undefined;
    request.noReply = true;
    request.error ??= reason;
  }

  private trim(count: number): void {
    const fromRows = Math.min(count, this.rows.length);
    for (const row of this.rows.splice(0, fromRows)) {
      this.byId.delete(row.frame.id);
      if (row.pair) row.pair.pair = undefined;
      else if (row.request && this.waiting.get(this.pairKey(row)) === row) this.waiting.delete(this.pairKey(row));
      if (row.correlation !== undefined) this.forgetLeg(row);
    }
    if (count > fromRows) this.held.splice(0, count - fromRows);
    this.dropped += count;
    this.applyFilter();
  }

  private forgetLeg(row: FrameRow): void {
    const legs = this.exchanges.get(row.correlation!);
    if (!legs) return;
    const index = legs.indexOf(row);
    if (index >= 0) legs.splice(index, 1);
    if (legs.length === 0) this.exchanges.delete(row.correlation!);
  }

  private applyFilter(): void {
    const { device, functionCode, direction, errorsOnly, text } = this.filter;
    const code = functionCode === '' ? undefined : Number(functionCode);
    const needle = text.trim().toLowerCase();
    const compactNeedle = needle.replace(/[\s:]/g, '');
    this.visible = this.rows.filter((row) => {
      const f = row.frame;
      if (device && f.device !== device) return false;
      if (direction && row.request !== (direction === 'tx')) return false;
      if (code !== undefined && (row.functionCode === undefined || (row.functionCode & ~EXCEPTION_FLAG) !== code)) return false;
      if (errorsOnly && !row.error) return false;
      if (!needle) return true;
      return (
        (f.device ?? '').toLowerCase().includes(needle) ||
        f.link.toLowerCase().includes(needle) ||
        (row.summary ?? '').toLowerCase().includes(needle) ||
        (row.error ?? '').toLowerCase().includes(needle) ||
        (row.correlation !== undefined && correlationMatches(row.correlation, needle)) ||
        (compactNeedle.length >= 2 && /^[0-9a-f]+$/.test(compactNeedle) && f.hex.includes(compactNeedle))
      );
    });
    this.version++;
  }
}
