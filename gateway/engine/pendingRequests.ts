/**
 * Requests sent and not yet answered, by transaction id. Every entry has a timer:
 * no request waits forever (node-modbus-serial#377). A reply that arrives after
 * its timer fired finds no entry and is dropped as stale.
 */
import { TimeoutError, type RequestContext } from '../protocol/errors';
import type { ModbusRequest } from '../protocol/requests';
import type { ModbusResponse } from '../protocol/responses';

export interface PendingRequest {
  request: ModbusRequest;
  context: RequestContext;
  resolve(response: ModbusResponse): void;
  reject(error: Error): void;
}

interface Entry extends PendingRequest {
  timer: NodeJS.Timeout;
}

export class PendingRequests {
  private readonly entries = new Map<number, Entry>();

  has(id: number): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Wait for the reply to `id`; rejects with TimeoutError after `timeoutMs`. */
  add(id: number, request: ModbusRequest, context: RequestContext, timeoutMs: number): Promise<ModbusResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.entries.delete(id);
        reject(new TimeoutError(context, timeoutMs));
      }, timeoutMs);
      this.entries.set(id, { request, context, resolve, reject, timer });
    });
  }

  /** Remove and return the request waiting for `id`, or undefined if none is (a stale reply). */
  take(id: number): PendingRequest | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.entries.delete(id);
    return entry;
  }

  /** Reject every waiting request, e.g. with ConnectionClosedError when the link drops. */
  rejectAll(makeError: (pending: PendingRequest) => Error): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(makeError(entry));
    }
  }
}
