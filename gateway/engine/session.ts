/**
 * One device's connection: connect, reconnect with backoff, send requests with our
 * own transaction ids, match replies, time out, and report status.
 *
 * Rules taken from what breaks in other tools (FIELD-NOTES "pitfalls"):
 * every request has a timeout; replies that match no waiting request are dropped;
 * when the link closes every waiting request is rejected at once; the session keeps
 * trying to reconnect until it is told to stop.
 */
import { EventEmitter } from 'node:events';
import type { ConnectionState, DeviceStatus } from '../api/channel';
import { ConnectionClosedError, FrameError, ModbusExceptionError, ProtocolLimitError, type RequestContext } from '../protocol/errors';
import { decodeMbapFrame, encodeMbapFrame } from '../protocol/mbap';
import { encodeRequest, requestContext, type ModbusRequest } from '../protocol/requests';
import { decodeResponse, isExceptionResponse, type ResponseFor } from '../protocol/responses';
import type { FrameHook } from '../transport/frames';
import { TcpLink } from '../transport/tcp';
import { Backoff } from './backoff';
import type { Logger } from './logger';
import { PendingRequests } from './pendingRequests';
import { TransactionIds } from './transactionIds';

export interface Endpoint {
  host: string;
  port: number;
}

export interface SessionOptions {
  device: string;
  unitId: number;
  timeoutMs: number;
  /** Where to connect; async because the demo simulator may still be starting. */
  endpoint: () => Promise<Endpoint>;
  logger: Logger;
  initialState?: 'disconnected' | 'disabled';
  /** A TCP connect covers SYN retries and ARP; it gets longer than a request. */
  connectTimeoutMs?: number;
  backoff?: Backoff;
  onFrame?: FrameHook;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

type SessionEvents = {
  status: [status: DeviceStatus];
  connected: [];
  /** The link is gone (lost, or closed on request); `reason` is for tag errors. */
  disconnected: [reason: string];
};

export class DeviceSession extends EventEmitter<SessionEvents> {
  private state: ConnectionState;
  private since = Date.now();
  private lastError?: string;
  private retryInMs?: number;
  private wanted = false;
  private link?: TcpLink;
  private retryTimer?: NodeJS.Timeout;
  /** Bumped on every start/stop so a connect that finishes late knows it is obsolete. */
  private generation = 0;
  private readonly pending = new PendingRequests();
  private readonly transactionIds = new TransactionIds();
  private readonly backoff: Backoff;
  private staleReplies = 0;

  constructor(private readonly options: SessionOptions) {
    super();
    this.state = options.initialState ?? 'disconnected';
    this.backoff = options.backoff ?? new Backoff();
  }

  get status(): DeviceStatus {
    return {
      device: this.options.device,
      state: this.state,
      since: this.since,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      ...(this.retryInMs === undefined ? {} : { retryInMs: this.retryInMs }),
    };
  }

  get isConnected(): boolean {
    return this.state === 'connected' && this.link !== undefined;
  }

  /** Replies dropped because no request waited for them (late after a timeout, or duplicates). */
  get staleReplyCount(): number {
    return this.staleReplies;
  }

  /** Connect and stay connected. While backing off, tries again at once. */
  start(): void {
    if (this.wanted && this.state !== 'error') return;
    this.wanted = true;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  /** Drop the link and stop reconnecting. */
  stop(finalState: 'disconnected' | 'disabled' = 'disconnected', reason = 'disconnected by user'): void {
    this.wanted = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.retryInMs = undefined;
    const hadLink = this.dropLink(reason);
    this.setState(finalState);
    if (hadLink) this.emit('disconnected', reason);
  }

  /** Send one request and wait for its reply; rejects with the typed errors of protocol/errors. */
  request<R extends ModbusRequest>(request: R): Promise<ResponseFor<R['functionCode']>> {
    const context: RequestContext = { device: this.options.device, unitId: this.options.unitId, ...requestContext(request) };
    let pdu: Buffer;
    try {
      pdu = encodeRequest(request);
    } catch (error) {
      if (error instanceof ProtocolLimitError) return Promise.reject(new ProtocolLimitError(context, error.limit, error.actual));
      return Promise.reject(error);
    }
    const link = this.link;
    if (!link || !this.isConnected) {
      return Promise.reject(new ConnectionClosedError(context, { wasSent: false, reason: this.lastError }));
    }
    const transactionId = this.transactionIds.next((id) => this.pending.has(id));
    const reply = this.pending.add(transactionId, request, context, this.options.timeoutMs);
    link.send(encodeMbapFrame({ transactionId, unitId: this.options.unitId, pdu }));
    // decodeResponse checked the function code against the request, so the narrowing holds.
    return reply as Promise<ResponseFor<R['functionCode']>>;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.retryInMs = undefined;
    this.setState('connecting');
    let link: TcpLink;
    try {
      const endpoint = await this.options.endpoint();
      link = await TcpLink.connect({
        host: endpoint.host,
        port: endpoint.port,
        connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        onFrame: this.options.onFrame,
      });
    } catch (error) {
      if (generation === this.generation) this.failAndRetry((error as Error).message);
      return;
    }
    if (generation !== this.generation) {
      link.close();
      return;
    }
    this.link = link;
    link.on('frame', (adu) => this.receive(adu));
    link.on('close', (error) => this.linkClosed(link, error));
    this.backoff.reset();
    this.options.logger.log('info', `connected to ${link.name}`, this.options.device);
    this.setState('connected');
    this.emit('connected');
  }

  private receive(adu: Buffer): void {
    const frame = decodeMbapFrame(adu);
    const waiting = this.pending.take(frame.transactionId);
    if (!waiting) {
      this.staleReplies++;
      this.options.logger.log(
        'debug',
        `dropped a reply with transaction id ${frame.transactionId}: no request waits for it (late or duplicate)`,
        this.options.device,
      );
      return;
    }
    if (frame.unitId !== this.options.unitId) {
      waiting.reject(new FrameError(waiting.context, `a reply from unit ${this.options.unitId}`, `unit ${frame.unitId}`));
      return;
    }
    try {
      const response = decodeResponse(frame.pdu, waiting.request, waiting.context);
      if (isExceptionResponse(response)) waiting.reject(new ModbusExceptionError(waiting.context, response.exceptionCode));
      else waiting.resolve(response);
    } catch (error) {
      waiting.reject(error as Error);
    }
  }

  private linkClosed(link: TcpLink, error: Error | undefined): void {
    if (link !== this.link) return;
    const reason = error?.message ?? 'connection closed';
    this.dropLink(reason);
    this.options.logger.log('warn', `connection lost: ${reason}`, this.options.device);
    this.emit('disconnected', reason);
    if (this.wanted) this.failAndRetry(`connection lost: ${reason}`);
  }

  /** Close the link (if any) and reject everything waiting on it. Returns whether there was one. */
  private dropLink(reason: string): boolean {
    const link = this.link;
    this.link = undefined;
    link?.close();
    this.pending.rejectAll((waiting) => new ConnectionClosedError(waiting.context, { wasSent: true, reason }));
    return link !== undefined;
  }

  private failAndRetry(message: string): void {
    const delay = this.backoff.next();
    // Log a new problem once, not every retry of the same one.
    if (message !== this.lastError) {
      this.options.logger.log('warn', `${message}; retrying with backoff (next in ${delay} ms)`, this.options.device);
    }
    this.lastError = message;
    this.retryInMs = delay;
    this.setState('error');
    this.retryTimer = setTimeout(() => {
      if (this.wanted) void this.connect();
    }, delay);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.since = Date.now();
    this.emit('status', this.status);
  }
}
