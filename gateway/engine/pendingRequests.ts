/**
 * Requests sent and not yet answered, by transaction id. Every entry has a
 * deadline: no request waits forever (node-modbus-serial#377). A reply that
 * arrives after its deadline passed finds no entry and is dropped as stale.
 *
 * One timer serves every entry: it is armed for the earliest deadline and, when it
 * fires, rejects what is due and re-arms for the next one. A reply does not touch
 * the timer, so a request costs no setTimeout/clearTimeout pair of its own.
 *
 * The last few ids that were answered or timed out are remembered, so a reply
 * that matches no waiting request can be told apart: a late or duplicate reply to
 * one of those is stale, anything else is a device answering with a wrong id.
 */
import { TimeoutError, type RequestContext } from '../protocol/errors';
import type { ExchangeRequest, ExchangeResponse } from './connection';

export interface PendingRequest {
  request: ExchangeRequest;
  context: RequestContext;
  resolve(response: ExchangeResponse): void;
  reject(error: Error): void;
}

interface Entry {
  waiter: PendingRequest;
  /** performance.now() by which the reply must have come. */
  deadline: number;
  timeoutMs: number;
}

/** Settled ids remembered: more than any sane device has late replies on the way. */
const RECENT_IDS = 32;

export class PendingRequests {
  private readonly entries = new Map<number, Entry>();
  /** Ring of recently settled ids (-1: empty slot). */
  private readonly recent = new Int32Array(RECENT_IDS).fill(-1);
  private recentNext = 0;
  private timer?: NodeJS.Timeout;
  /** When the timer fires (performance.now()); meaningful only while `timer` is set. */
  private timerDue = 0;
  private readonly sweepBound = () => this.sweep();

  has(id: number): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Wait for the reply to `id`; rejects with TimeoutError after `timeoutMs`. */
  add(id: number, request: ExchangeRequest, context: RequestContext, timeoutMs: number): Promise<ExchangeResponse> {
    return new Promise((resolve, reject) => {
      this.wait(id, { request, context, resolve, reject }, timeoutMs);
    });
  }

  /**
   * `waiter` waits for the reply to `id`: take() hands it over, or after `timeoutMs`
   * its reject() gets a TimeoutError. Like add(), without a promise of its own.
   */
  wait(id: number, waiter: PendingRequest, timeoutMs: number): void {
    const deadline = performance.now() + timeoutMs;
    this.entries.set(id, { waiter, deadline, timeoutMs });
    if (this.timer === undefined || deadline < this.timerDue) this.arm(deadline);
  }

  /** Remove and return the request waiting for `id`, or undefined if none is (a stale reply). */
  take(id: number): PendingRequest | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.remember(id);
    return entry.waiter;
  }

  /** Whether `id` was answered or timed out lately: a reply to it now is late or a duplicate. */
  settledRecently(id: number): boolean {
    return this.recent.includes(id);
  }

  /** When exactly one request waits: remove it and return it with its id. */
  takeSole(): { id: number; waiter: PendingRequest } | undefined {
    if (this.entries.size !== 1) return undefined;
    const [id] = this.entries.keys();
    return { id, waiter: this.take(id)! };
  }

  private remember(id: number): void {
    this.recent[this.recentNext] = id;
    this.recentNext = (this.recentNext + 1) % RECENT_IDS;
  }

  /** Reject every waiting request, e.g. with ConnectionClosedError when the link drops. */
  rejectAll(makeError: (pending: PendingRequest) => Error): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.disarm();
    for (const entry of entries) entry.waiter.reject(makeError(entry.waiter));
  }

  private arm(deadline: number): void {
    clearTimeout(this.timer);
    this.timerDue = deadline;
    // Never early: a timer may fire up to a millisecond before performance.now() reaches
    // the deadline, and then sweep() simply re-arms for what is left.
    this.timer = setTimeout(this.sweepBound, Math.max(1, Math.ceil(deadline - performance.now())));
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reject what is due, then wait for the next deadline (if anything still waits). */
  private sweep(): void {
    this.timer = undefined;
    const now = performance.now();
    let due: [number, Entry][] | undefined;
    let next = Infinity;
    for (const [id, entry] of this.entries) {
      if (entry.deadline <= now) (due ??= []).push([id, entry]);
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (due) {
      for (const [id] of due) {
        this.entries.delete(id);
        this.remember(id);
      }
    }
    if (next !== Infinity) this.arm(next);
    if (!due) return;
    for (const [, entry] of due) {
      // A rejection can close the connection (rejectAll), which must not drop this
      // entry's own TimeoutError: it has left the map already.
      entry.waiter.reject(new TimeoutError(entry.waiter.context, entry.timeoutMs));
    }
  }
}
