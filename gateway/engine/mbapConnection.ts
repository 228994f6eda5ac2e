/**
 * One Modbus TCP connection to one device: our own transaction ids, replies
 * matched by id (stale and unmatched ones dropped), up to `maxInFlight` requests
 * outstanding at once (Messaging Implementation Guide §4.2; default 1 because many
 * PLCs answer one at a time), a minimum gap between requests, and a connection
 * that goes silent dropped after a few timeouts in a row: a link can stay "up" while nothing
 * answers (a hung slot, a stale NAT entry); reconnecting is what revives it.
 */
import { ConnectionClosedError, FrameError, TimeoutError } from '../protocol/errors';
import { decodeMbapFrame, encodeMbapFrame } from '../protocol/mbap';
import { frameTimestamp, type FrameHook, type LinkFrame } from '../transport/frames';
import type { TcpLink } from '../transport/tcp';
import { decodeReply, type Connection, type Exchange, type LossCause, type LostListener } from './connection';
import type { Logger } from './logger';
import { PendingRequests, type PendingRequest } from './pendingRequests';
import { TransactionIds } from './transactionIds';

export interface MbapConnectionOptions {
  device: string;
  maxInFlight: number;
  minGapMs: number;
  /** Timeouts in a row (with no byte from the device in between) before the link is dropped. */
  maxConsecutiveTimeouts: number;
  /** Take replies whatever unit id they carry (device option replyUnitId "any"): the transaction id pairs them. */
  anyReplyUnitId?: boolean;
  logger: Logger;
  onFrame?: FrameHook;
}

/**
 * One request from exchange() to its settling: queued, then waiting for its reply
 * (PendingRequests hands it the reply, a TimeoutError, or ConnectionClosedError).
 * One object per request, with no promise or closure of its own beyond exchange()'s.
 */
class Call implements PendingRequest {
  constructor(
    private readonly connection: MbapConnection,
    readonly exchange: Exchange,
    private readonly deliver: (value: Awaited<ReturnType<Connection['exchange']>>) => void,
    private readonly fail: (error: Error) => void,
  ) {}

  get request(): Exchange['request'] {
    return this.exchange.request;
  }

  get context(): Exchange['context'] {
    return this.exchange.context;
  }

  /** Not sent (encoding failed, or the connection closed first): no in-flight slot to give back. */
  refuse(error: Error): void {
    this.fail(error);
  }

  resolve(response: Awaited<ReturnType<Connection['exchange']>>): void {
    this.connection.settled();
    this.deliver(response);
    this.connection.afterSettled(false);
  }

  reject(error: Error): void {
    this.connection.settled();
    this.fail(error);
    // instanceof, not the class name: the shipped bundle is minified.
    this.connection.afterSettled(error instanceof TimeoutError);
  }
}

export class MbapConnection implements Connection {
  private readonly pending = new PendingRequests();
  private readonly transactionIds = new TransactionIds();
  private readonly idInUse = (id: number) => this.pending.has(id);
  private readonly queue: Call[] = [];
  private inFlight = 0;
  private lastSendAt = -Infinity;
  private gapTimer?: NodeJS.Timeout;
  private consecutiveTimeouts = 0;
  private stale = 0;
  private faultWarned = false;
  private closed = false;
  private lostListener: LostListener = () => {};

  constructor(
    private readonly link: TcpLink,
    private readonly options: MbapConnectionOptions,
  ) {
    link.on('frame', (adu) => this.receive(adu));
    link.on('close', (error) => this.lose(error?.message ?? 'connection closed', 'link'));
  }

  get name(): string {
    return this.link.name;
  }

  get staleReplies(): number {
    return this.stale;
  }

  onLost(listener: LostListener): void {
    this.lostListener = listener;
  }

  exchange(exchange: Exchange): ReturnType<Connection['exchange']> {
    if (this.closed) {
      return Promise.reject(new ConnectionClosedError(exchange.context, { wasSent: false, reason: 'connection closed' }));
    }
    return new Promise((resolve, reject) => {
      const call = new Call(this, exchange, resolve, reject);
      // Nothing ahead of it and a free slot: straight out, without a trip through the queue.
      if (this.queue.length === 0 && this.inFlight < this.options.maxInFlight && this.gapWait() <= 0) this.send(call);
      else {
        this.queue.push(call);
        this.pump();
      }
    });
  }

  close(reason: string): void {
    this.shutDown(reason);
    void this.link.close();
  }

  /** How long the minimum gap still holds the next request back (ms; 0 or less: not at all). */
  private gapWait(): number {
    return this.options.minGapMs > 0 ? this.lastSendAt + this.options.minGapMs - performance.now() : 0;
  }

  /** Send what the in-flight limit and the gap allow. */
  private pump(): void {
    while (!this.closed && this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const wait = this.gapWait();
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

  private send(call: Call): void {
    const { exchange } = call;
    const transactionId = this.transactionIds.next(this.idInUse);
    let adu: Buffer;
    try {
      adu = encodeMbapFrame({ transactionId, unitId: exchange.unitId, pdu: exchange.pdu });
    } catch (error) {
      call.refuse(error as Error);
      return;
    }
    this.inFlight++;
    if (this.options.minGapMs > 0) this.lastSendAt = performance.now();
    this.pending.wait(transactionId, call, exchange.timeoutMs);
    this.report('tx', adu, exchange.unitId, exchange.correlation);
    this.link.send(adu);
  }

  /** A sent request is answered, failed or timed out: its in-flight slot is free (Call calls this first). */
  settled(): void {
    this.inFlight--;
  }

  /** After the caller has its result: count timeouts in a row, then send what waits. */
  afterSettled(timedOut: boolean): void {
    if (timedOut && !this.closed && ++this.consecutiveTimeouts >= this.options.maxConsecutiveTimeouts) {
      const reason = `no reply to ${this.consecutiveTimeouts} requests in a row; reconnecting`;
      this.options.logger.log('warn', reason, this.options.device);
      this.lose(reason, 'silence');
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
    if (!waiting && this.mismatchedReply(adu, frame.transactionId, frame.unitId)) return;
    const expectedUnit = waiting?.context.unitId;
    const wrongUnit = expectedUnit !== undefined && frame.unitId !== expectedUnit && !this.options.anyReplyUnitId;
    // A note, not a correlation: the Frame Debugger shows notes as the frame's fault.
    const note = !waiting
      ? 'no request waits for this transaction id (late or duplicate): dropped'
      : wrongUnit
        ? `the device answered a request to unit ${expectedUnit} as unit ${frame.unitId}: request failed`
        : undefined;
    this.report('rx', adu, frame.unitId, undefined, note);
    if (!waiting) {
      this.stale++;
      this.options.logger.log(
        'debug',
        `dropped a reply with transaction id ${frame.transactionId}: no request waits for it (late or duplicate)`,
        this.options.device,
      );
      return;
    }
    if (wrongUnit) {
      this.deviceFault(note!);
      // Some devices and gateways always answer with another unit id (0, 255): say how to accept that.
      const expected = `a reply from unit ${expectedUnit} (if the device always answers so, set "replyUnitId": "any")`;
      waiting.reject(new FrameError(waiting.context, expected, `unit ${frame.unitId}`));
      return;
    }
    let response: Awaited<ReturnType<Connection['exchange']>>;
    try {
      response = decodeReply(frame.pdu, waiting.request, waiting.context);
    } catch (error) {
      waiting.reject(error as Error);
      return;
    }
    waiting.resolve(response);
  }

  /**
   * A reply whose transaction id matches no waiting request and no request settled
   * lately, while exactly one request waits: it can only be that request's answer
   * under a wrong id. The request fails now (FrameError) instead of waiting out its
   * timeout, so the line is free at once; the frame is captured as the device's fault.
   */
  private mismatchedReply(adu: Buffer, transactionId: number, unitId: number): boolean {
    if (this.pending.size !== 1 || this.pending.settledRecently(transactionId)) return false;
    const sole = this.pending.takeSole()!;
    const note = `the device answered the one request in flight (transaction id ${sole.id}) with transaction id ${transactionId}`;
    this.report('rx', adu, unitId, undefined, note, sole.id);
    this.deviceFault(`${note}: request failed at once`);
    sole.waiter.reject(new FrameError(sole.waiter.context, `a reply with transaction id ${sole.id}`, `transaction id ${transactionId}`));
    return true;
  }

  /** A reply that is the device's fault: a warning the first time on this connection, then debug (a device that always does it would flood the log). */
  private deviceFault(message: string): void {
    this.options.logger.log(this.faultWarned ? 'debug' : 'warn', message, this.options.device);
    this.faultWarned = true;
  }

  private report(direction: 'rx' | 'tx', bytes: Buffer, unitId: number, correlation?: string, note?: string, answers?: number): void {
    const onFrame = this.options.onFrame;
    if (!onFrame) return;
    const frame: LinkFrame = { direction, timestamp: frameTimestamp(), bytes, link: this.link.name, device: this.options.device, unitId };
    if (correlation !== undefined) frame.correlation = correlation;
    if (note !== undefined) frame.note = note;
    if (answers !== undefined) frame.answers = answers;
    onFrame(frame);
  }

  /** The link went away (or we gave up on it): reject everything, tell the session once. */
  private lose(reason: string, cause: LossCause): void {
    if (this.closed) return;
    this.shutDown(reason);
    this.lostListener(reason, cause);
  }

  private shutDown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.gapTimer);
    const queued = this.queue.splice(0);
    for (const call of queued) call.refuse(new ConnectionClosedError(call.exchange.context, { wasSent: false, reason }));
    this.pending.rejectAll((waiting) => new ConnectionClosedError(waiting.context, { wasSent: true, reason }));
  }
}
