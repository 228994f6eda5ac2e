/**
 * One device's session: connect, reconnect with backoff, send requests and wait
 * for their replies, retry after a timeout, and report status. How bytes move is
 * pluggable (a Connector): a Modbus TCP connection of its own (mbapConnection.ts)
 * or a place on a shared serial bus (serialBus.ts); sessionFactory.ts picks one
 * per transport kind.
 *
 * Rules taken from what breaks in other tools: every request has a timeout;
 * replies that match no waiting request are dropped; when the link closes every
 * waiting request is rejected at once; the session keeps trying to reconnect until
 * it is told to stop. A device that stays connected but answers nothing is
 * "notAnswering" (answerWatch.ts) until its next reply. Every change of state is
 * logged, with the reason.
 */
import { EventEmitter } from 'node:events';
import type { ConnectionState, DeviceStatus } from '../api/channel';
import { ConnectionClosedError, ProtocolLimitError, TimeoutError, type RequestContext } from '../protocol/errors';
import { encodeRequest, requestContext, type ModbusRequest } from '../protocol/requests';
import type { ResponseFor } from '../protocol/responses';
import { isOpaque } from '../protocol/opaque';
import type { FrameHook } from '../transport/frames';
import { TcpLink } from '../transport/tcp';
import { watchAnswers, type ExchangeOutcome } from './answerWatch';
import { Backoff } from './backoff';
import type { Connection, Connector, ExchangeRequest, LossCause } from './connection';
import { forwardPdu, type ForwardOptions } from './forwardPdu';
import type { Logger } from './logger';
import { MbapConnection } from './mbapConnection';
import { exchangeWithRetries, type RetryPolicy } from './retryOnTimeout';
import { MISSES_TO_MARK_DOWN, UnitDownError, UnitHealth } from './unitHealth';

export interface Endpoint {
  host: string;
  port: number;
}

export interface SessionOptions {
  device: string;
  unitId: number;
  timeoutMs: number;
  logger: Logger;
  /** Modbus TCP: where to connect; async because the demo simulator may still be starting. */
  endpoint?: () => Promise<Endpoint>;
  /** Anything else (a serial bus): how to get a Connection. Takes precedence over `endpoint`. */
  connector?: Connector;
  initialState?: 'disconnected' | 'disabled';
  /** A TCP connect covers SYN retries and ARP; it gets longer than a request. */
  connectTimeoutMs?: number;
  backoff?: Backoff;
  onFrame?: FrameHook;
  /** Extra attempts after a timeout (default 0). */
  retries?: number;
  /** Pause after connecting before the first request, for devices that need it. */
  delayAfterConnectMs?: number;
  /** Modbus TCP: requests outstanding at once (default 1). */
  maxInFlight?: number;
  /** Modbus TCP: minimum pause between two requests (default 0). */
  minGapMs?: number;
  /** Modbus TCP: timeouts in a row after which the connection is dropped and reopened (default 3). */
  maxConsecutiveTimeouts?: number;
  /** Modbus TCP: take replies whatever unit id they carry (default: it must be the request's). */
  anyReplyUnitId?: boolean;
}

/** How a proxy forwards one request (DeviceSession.requestPdu). */
export interface ForwardRequestOptions {
  correlation?: string;
  /** Extra attempts after a timeout, reads only; default: the device's retries. */
  retries?: number;
  /** The PDU decoded already, so it is not decoded twice. */
  request?: ExchangeRequest;
  /** Refuse requests to a unit marked down at once (a proxy in front of a multi-unit gateway). */
  guardUnits?: boolean;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_CONSECUTIVE_TIMEOUTS = 3;

type SessionEvents = {
  status: [status: DeviceStatus];
  connected: [];
  /** The link is gone (lost, or closed on request); `reason` is for tag errors. */
  disconnected: [reason: string];
  /** A request ended (metrics count these; nothing on the request's path waits for listeners). */
  exchange: [exchange: SettledExchange];
};

export interface SettledExchange {
  functionCode: number;
  outcome: ExchangeOutcome;
  elapsedMs: number;
}

export class DeviceSession extends EventEmitter<SessionEvents> {
  private state: ConnectionState;
  private since = Date.now();
  private lastError?: string;
  private retryInMs?: number;
  private wanted = false;
  private connection?: Connection;
  private retryTimer?: NodeJS.Timeout;
  /** Bumped on every start/stop so a connect that finishes late knows it is obsolete. */
  private generation = 0;
  private readonly backoff: Backoff;
  private readonly connector: Connector;
  /** Stale replies of connections already gone, so the count survives a reconnect. */
  private staleBefore = 0;
  /** A quiet reopen of a silent device's link is under way: backing off or connecting (reopenQuietly). */
  private reopenPending = false;
  /** Units that stopped answering (proxy requests only). */
  private readonly units = new UnitHealth();

  constructor(private readonly options: SessionOptions) {
    super();
    this.state = options.initialState ?? 'disconnected';
    this.backoff = options.backoff ?? new Backoff();
    this.connector = options.connector ?? this.tcpConnector();
  }

  get device(): string {
    return this.options.device;
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

  /** The link is up (the device may still be silent: notAnswering sends on, to notice its return). */
  get isConnected(): boolean {
    return (this.state === 'connected' || this.state === 'notAnswering') && this.connection !== undefined;
  }

  /** Replies dropped because no request waited for them (late after a timeout, or duplicates). */
  get staleReplyCount(): number {
    return this.staleBefore + (this.connection?.staleReplies ?? 0);
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
    this.reopenPending = false;
    this.retryInMs = undefined;
    const hadLink = this.dropConnection(reason);
    this.setState(finalState, reason);
    if (hadLink) this.emit('disconnected', reason);
  }

  /** Send one request and wait for its reply; rejects with the typed errors of protocol/errors. */
  request<R extends ModbusRequest>(request: R): Promise<ResponseFor<R['functionCode']>> {
    // Not async: with no retries the connection's own promise is the answer, one hop
    // fewer per request. Everything that throws here still comes back as a rejection.
    try {
      const context: RequestContext = { device: this.options.device, unitId: this.options.unitId, ...requestContext(request) };
      let pdu: Buffer;
      try {
        pdu = encodeRequest(request);
      } catch (error) {
        if (error instanceof ProtocolLimitError) throw new ProtocolLimitError(context, error.limit, error.actual);
        throw error;
      }
      if ((this.options.retries ?? 0) > 0) return this.requestWithRetries(request, pdu, context);
      const connection = this.connection;
      if (!connection || !this.isConnected) throw new ConnectionClosedError(context, { wasSent: false, reason: this.lastError });
      // decodeResponse checked the function code against the request, so the narrowing holds.
      return connection.exchange({ request, pdu, context, unitId: this.options.unitId, timeoutMs: this.options.timeoutMs }) as Promise<
        ResponseFor<R['functionCode']>
      >;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async requestWithRetries<R extends ModbusRequest>(request: R, pdu: Buffer, context: RequestContext): Promise<ResponseFor<R['functionCode']>> {
    const exchange = { request, pdu, context, unitId: this.options.unitId, timeoutMs: this.options.timeoutMs };
    const connection = () => (this.isConnected ? this.connection : undefined);
    const policy: RetryPolicy = { retries: this.options.retries ?? 0, device: this.options.device, logger: this.options.logger, closedReason: () => this.lastError };
    // decodeResponse checked the function code against the request, so the narrowing holds.
    return (await exchangeWithRetries(exchange, connection, policy)) as ResponseFor<R['functionCode']>;
  }

  /**
   * A proxy's request: `pdu` to `unitId` as its client sent it, resolving with the
   * reply PDU; the device's exception comes back as its exception PDU (forwardPdu.ts).
   * `correlation` marks the request frame in the capture so both legs can be matched.
   * Without `options.retries` the device's own retries apply (reads only, never a write).
   * With `options.guardUnits`, a unit that stopped answering is refused at once
   * (UnitDownError) but for one probe per backoff interval (unitHealth.ts).
   */
  requestPdu(unitId: number, pdu: Buffer, options: ForwardRequestOptions = {}): Promise<Buffer> {
    const session = this.options;
    const forward: ForwardOptions = {
      device: session.device,
      unitId,
      timeoutMs: session.timeoutMs,
      retries: options.retries ?? session.retries ?? 0,
      logger: session.logger,
      lastError: this.lastError,
      correlation: options.correlation,
      request: options.request,
    };
    const connection = () => (this.isConnected ? this.connection : undefined);
    if (!options.guardUnits) return forwardPdu(pdu, forward, connection);
    const admission = this.units.admit(unitId);
    if (admission === 'down') {
      const context = { device: session.device, unitId, ...(options.request && !isOpaque(options.request) ? requestContext(options.request) : { functionCode: pdu[0] }) };
      return Promise.reject(new UnitDownError(context, this.units.nextProbeInMs(unitId)));
    }
    return forwardPdu(pdu, forward, connection).then(
      (reply) => {
        if (this.units.answered(unitId)) session.logger.log('info', `unit ${unitId} answers again`, session.device);
        return reply;
      },
      (error: unknown) => {
        if (error instanceof TimeoutError) {
          if (this.units.missed(unitId)) {
            session.logger.log(
              'warn',
              `unit ${unitId} did not answer ${MISSES_TO_MARK_DOWN} requests in a row: marked down; its requests get exception 0x0B at once, one probe every ${this.units.nextProbeInMs(unitId)} ms or more checks whether it is back`,
              session.device,
            );
          }
        } else if (admission === 'probe') {
          this.units.probeAbandoned(unitId);
        }
        throw error;
      },
    );
  }

  /**
   * A client wants the link now: while the session is backing off after a failed
   * connect, try again at once instead of waiting out the delay. Does nothing when
   * connected, connecting, or not wanted (stopped, disabled).
   */
  connectNow(): void {
    if (!this.wanted || (this.state !== 'error' && !this.reopenPending)) return;
    clearTimeout(this.retryTimer);
    this.reopenPending = false;
    void this.connect();
  }

  private tcpConnector(): Connector {
    const endpoint = this.options.endpoint;
    return {
      connect: async () => {
        if (!endpoint) throw new Error(`${this.options.device}: no endpoint and no connector`);
        const { host, port } = await endpoint();
        const link = await TcpLink.connect({
          host,
          port,
          connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        });
        return new MbapConnection(link, {
          device: this.options.device,
          maxInFlight: this.options.maxInFlight ?? 1,
          minGapMs: this.options.minGapMs ?? 0,
          maxConsecutiveTimeouts: this.options.maxConsecutiveTimeouts ?? DEFAULT_MAX_CONSECUTIVE_TIMEOUTS,
          anyReplyUnitId: this.options.anyReplyUnitId ?? false,
          logger: this.options.logger,
          onFrame: this.options.onFrame,
        });
      },
    };
  }

  /**
   * `quiet`: reopening the link of a device that is not answering. It stays
   * notAnswering, with its reason and since, until it answers: a new socket is a
   * remedy tried, not news, and a row flapping through error, connecting and
   * connected every few timeouts would hide why the device is in trouble.
   */
  private async connect(quiet = false): Promise<void> {
    const generation = ++this.generation;
    this.retryInMs = undefined;
    if (!quiet) this.setState('connecting');
    let connection: Connection;
    try {
      connection = this.watched(await this.connector.connect());
    } catch (error) {
      if (generation === this.generation) {
        this.reopenPending = false;
        this.failAndRetry((error as Error).message);
      }
      return;
    }
    if (generation === this.generation) this.reopenPending = false;
    if (generation !== this.generation) {
      connection.close('superseded');
      return;
    }
    this.connection = connection;
    connection.onLost((reason, cause) => this.connectionLost(connection, reason, cause));
    const delay = this.options.delayAfterConnectMs ?? 0;
    if (delay > 0) {
      // Some devices drop requests that arrive right after the connect (modbus-proxy#27).
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (generation !== this.generation || this.connection !== connection) return;
    }
    this.backoff.reset();
    if (quiet) this.options.logger.log('info', `reconnected to ${connection.name}; still waiting for a reply`, this.options.device);
    else this.setState('connected', `connected to ${connection.name}`);
    this.emit('connected');
  }

  private connectionLost(connection: Connection, reason: string, cause: LossCause): void {
    if (connection !== this.connection) return;
    this.dropConnection(reason);
    this.options.logger.log('warn', `connection lost: ${reason}`, this.options.device);
    this.emit('disconnected', reason);
    if (!this.wanted) return;
    // Only our own reopen of a silent device is quiet: a port unplugged or a socket closed
    // by the peer while the device was silent is the news the user needs to see.
    if (cause === 'silence' && this.state === 'notAnswering') this.reopenQuietly();
    else this.failAndRetry(`connection lost: ${reason}`);
  }

  /**
   * A silent device's link is reopened after the backoff without leaving notAnswering
   * (see connect). A caller that cannot wait (a proxy's client) may connectNow meanwhile.
   */
  private reopenQuietly(): void {
    this.reopenPending = true;
    this.retryTimer = setTimeout(() => {
      if (this.wanted) void this.connect(true);
    }, this.backoff.next());
  }

  /** Leave the connection (if any), rejecting everything waiting on it. Returns whether there was one. */
  private dropConnection(reason: string): boolean {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      this.staleBefore += connection.staleReplies;
      connection.close(reason);
    }
    return connection !== undefined;
  }

  private failAndRetry(message: string): void {
    const delay = this.backoff.next();
    // Log a new problem once, not every retry of the same one.
    if (message !== this.lastError) {
      this.options.logger.log('warn', `${message}; retrying with backoff (next in ${delay} ms)`, this.options.device);
    }
    this.lastError = message;
    this.retryInMs = delay;
    this.setState('error', message);
    this.retryTimer = setTimeout(() => {
      if (this.wanted) void this.connect();
    }, delay);
  }

  /** The connection, telling this session when the device answers and when it stays silent. */
  private watched(connection: Connection): Connection {
    const watched = watchAnswers(
      connection,
      this.options.device,
      {
        answered: () => {
          if (this.connection === watched && this.state === 'notAnswering') this.setState('connected', 'the device answers again');
        },
        timedOut: (exchange) => {
          if (this.connection !== watched || this.state !== 'connected') return;
          this.lastError = `no reply from unit ${exchange.unitId} within ${exchange.timeoutMs} ms`;
          this.setState('notAnswering', this.lastError);
        },
        settled: (exchange, outcome, elapsedMs) => {
          if (this.listenerCount('exchange') > 0) this.emit('exchange', { functionCode: exchange.pdu[0], outcome, elapsedMs });
        },
      },
      this.options.onFrame,
    );
    return watched;
  }

  private setState(state: ConnectionState, reason?: string): void {
    const from = this.state;
    if (from !== state) {
      this.options.logger.log('info', `${from} → ${state}${reason ? `: ${reason}` : ''}`, this.options.device);
    }
    this.state = state;
    this.since = Date.now();
    this.emit('status', this.status);
  }
}
