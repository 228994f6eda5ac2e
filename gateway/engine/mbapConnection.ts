/**
 * One Modbus TCP connection to one device: our own transaction ids, replies
 * matched by id (stale and unmatched ones dropped), up to `maxInFlight` requests
 * outstanding at once (Messaging Implementation Guide §4.2; default 1 because many
 * PLCs answer one at a time), a minimum gap between requests, and a connection
 * that goes silent dropped after a few timeouts in a row (FIELD-NOTES pitfall 4:
 * a link can stay "up" while nothing answers; reconnecting is what revives it).
 */
import { ConnectionClosedError, FrameError } from '../protocol/errors';
import { decodeMbapFrame, encodeMbapFrame } from '../protocol/mbap';
import { frameTimestamp, type FrameHook } from '../transport/frames';
import type { TcpLink } from '../transport/tcp';
import { decodeReply, type Connection, type Exchange } from './connection';
import type { Logger } from './logger';
import { PendingRequests } from './pendingRequests';
import { TransactionIds } from './transactionIds';

export interface MbapConnectionOptions {
  device: string;
  maxInFlight: number;
  minGapMs: number;
  /** Timeouts in a row (with no byte from the device in between) before the link is dropped. */
  maxConsecutiveTimeouts: number;
  logger: Logger;
  onFrame?: FrameHook;
}

interface Queued {
  exchange: Exchange;
  resolve: (value: Awaited<ReturnType<Connection['exchange']>>) => void;
  reject: (error: Error) => void;
}

export class MbapConnection implements Connection {
  private readonly pending = new PendingRequests();
  private readonly transactionIds = new TransactionIds();
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  private lastSendAt = -Infinity;
  private gapTimer?: NodeJS.Timeout;
  private consecutiveTimeouts = 0;
  private stale = 0;
  private closed = false;
  private lostListener: (reason: string) => void = () => {};

  constructor(
    private readonly link: TcpLink,
    private readonly options: MbapConnectionOptions,
  ) {
    link.on('frame', (adu) => this.receive(adu));
    link.on('close', (error) => this.lose(error?.message ?? 'connection closed'));
  }

  get name(): string {
    return this.link.name;
  }

  get staleReplies(): number {
    return this.stale;
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListener = listener;
  }

  exchange(exchange: Exchange): ReturnType<Connection['exchange']> {
    if (this.closed) {
      return Promise.reject(new ConnectionClosedError(exchange.context, { wasSent: false, reason: 'connection closed' }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ exchange, resolve, reject });
      this.pump();
    });
  }

  close(reason: string): void {
    this.shutDown(reason);
    void this.link.close();
  }

  /** Send what the in-flight limit and the gap allow. */
  private pump(): void {
    while (!this.closed && this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const wait = this.lastSendAt + this.options.minGapMs - performance.now();
      if (wait > 0) {
        this.gapTimer ??= setTimeout(() => {
          this.gapTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.send(this.queue.shift()!);
    }
  }

  private send(queued: Queued): void {
    const { exchange } = queued;
    const transactionId = this.transactionIds.next((id) => this.pending.has(id));
    let adu: Buffer;
    try {
      adu = encodeMbapFrame({ transactionId, unitId: exchange.unitId, pdu: exchange.pdu });
    } catch (error) {
      queued.reject(error as Error);
      return;
    }
    this.inFlight++;
    this.lastSendAt = performance.now();
    this.pending.add(transactionId, exchange.request, exchange.context, exchange.timeoutMs).then(
      (response) => this.settled(() => queued.resolve(response), false),
      (error: Error) => this.settled(() => queued.reject(error), error.name === 'TimeoutError'),
    );
    this.report('tx', adu, exchange.unitId);
    this.link.send(adu);
  }

  private settled(deliver: () => void, timedOut: boolean): void {
    this.inFlight--;
    deliver();
    if (timedOut && !this.closed && ++this.consecutiveTimeouts >= this.options.maxConsecutiveTimeouts) {
      const reason = `no reply to ${this.consecutiveTimeouts} requests in a row; reconnecting`;
      this.options.logger.log('warn', reason, this.options.device);
      this.lose(reason);
      void this.link.close();
      return;
    }
    this.pump();
  }

  private receive(adu: Buffer): void {
    // Any byte from the device shows it is alive: the silence counter starts over.
    this.consecutiveTimeouts = 0;
    const frame = decodeMbapFrame(adu);
    const waiting = this.pending.take(frame.transactionId);
    this.report('rx', adu, frame.unitId, waiting ? undefined : 'no request waits for this transaction id (late or duplicate): dropped');
    if (!waiting) {
      this.stale++;
      this.options.logger.log(
        'debug',
        `dropped a reply with transaction id ${frame.transactionId}: no request waits for it (late or duplicate)`,
        this.options.device,
      );
      return;
    }
    const expectedUnit = waiting.context.unitId;
    if (expectedUnit !== undefined && frame.unitId !== expectedUnit) {
      waiting.reject(new FrameError(waiting.context, `a reply from unit ${expectedUnit}`, `unit ${frame.unitId}`));
      return;
    }
    try {
      waiting.resolve(decodeReply(frame.pdu, waiting.request, waiting.context));
    } catch (error) {
      waiting.reject(error as Error);
    }
  }

  private report(direction: 'rx' | 'tx', bytes: Buffer, unitId: number, note?: string): void {
    this.options.onFrame?.({
      direction,
      timestamp: frameTimestamp(),
      bytes,
      link: this.link.name,
      device: this.options.device,
      unitId,
      ...(note === undefined ? {} : { note }),
    });
  }

  /** The link went away (or we gave up on it): reject everything, tell the session once. */
  private lose(reason: string): void {
    if (this.closed) return;
    this.shutDown(reason);
    this.lostListener(reason);
  }

  private shutDown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.gapTimer);
    const queued = this.queue.splice(0);
    for (const item of queued) item.reject(new ConnectionClosedError(item.exchange.context, { wasSent: false, reason }));
    this.pending.rejectAll((waiting) => new ConnectionClosedError(waiting.context, { wasSent: true, reason }));
  }
}
