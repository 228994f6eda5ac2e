/**
 * One proxy: a Modbus TCP server that many clients share, forwarding to one device
 * through the engine's session for it.
 *
 * The path of a request: the client's frame is checked (function-code filter →
 * exception 01; a malformed PDU → 03, no function at all → 01 (one the codec does
 * not know is forwarded as bytes: the device decides); a unit id the routing
 * refuses → 0x0A), answered from the read cache if it can be, else queued in the
 * client's lane of a round-robin queue (fairQueue.ts). The queue feeds the session
 * as many requests as the upstream takes at once (the device's maxInFlight on TCP,
 * one on a serial line) so that fairness is decided here, not in the session's FIFO.
 * The session sends it with its own transaction id (or on the bus, with CRC); the
 * reply PDU goes back under the client's transaction id and unit id. Every request
 * has a time budget from the moment it arrived; past it the client gets 0x0B and the
 * late reply, when it comes, is dropped.
 *
 * Both legs are captured: the client's request and our reply on the link
 * "proxy://NAME/CLIENT", the device's on its own link, all three with the correlation "proxy NAME #N".
 */
import net from 'node:net';
import type { ProxyInfo, ProxyState, ProxyStats } from '../api/proxies';
import { allowedFunctionSet, type ProxyDefinition } from '../api/proxyConfig';
import type { DeviceSession } from '../engine/session';
import type { Logger } from '../engine/logger';
import { ConnectionClosedError } from '../protocol/errors';
import { ExceptionCode } from '../protocol/exceptions';
import type { MbapFrame } from '../protocol/mbap';
import { decodeRequest } from '../protocol/requests';
import { encodeExceptionResponse } from '../protocol/responses';
import { frameTimestamp, type LinkFrame } from '../transport/frames';
import { ClientAllowList } from './clientAllowList';
import { emptyCounters } from './counters';
import { ProxyListenError } from './errors';
import { FairQueue } from './fairQueue';
import { LatencyWindow } from './latencyWindow';
import { ProxyClient } from './proxyClient';
import { isCacheableRead, ReadCache } from './readCache';
import { unitRouter, type UnitRouter } from './unitRouting';

/** What a proxy needs of the gateway: its device's session and the capture. */
export interface ProxyUpstream {
  /** The device's name, for logs and captured frames. */
  readonly device: string;
  /** The device's own unit id (for unmappedUnits "device"). */
  readonly deviceUnitId: number;
  /** Requests the upstream takes at once: the device's maxInFlight on TCP, 1 on a serial line. */
  readonly concurrency: number;
  /** The session now: looked up per request, since applying a config replaces it. */
  session(): DeviceSession | undefined;
  recordFrame(frame: LinkFrame): void;
}

interface Job {
  client: ProxyClient;
  transactionId: number;
  clientUnit: number;
  upstreamUnit: number;
  pdu: Buffer;
  /** "proxy NAME #N": the same on both legs' frames. */
  correlation: string;
  receivedAt: number;
  timer?: NodeJS.Timeout;
  cacheKey?: string;
  /** Counted in the client's `pending` (queued or at the device). */
  pending: boolean;
  answered: boolean;
}

export class ModbusProxy {
  /** The device definition the proxy was built for (a changed device means a new proxy). */
  deviceAtStart?: unknown;
  private readonly server: net.Server;
  private readonly clients = new Set<ProxyClient>();
  private readonly queue = new FairQueue<ProxyClient, Job>();
  private readonly allowList: ClientAllowList;
  private readonly allowedFunctions?: ReadonlySet<number>;
  private readonly route: UnitRouter;
  private readonly cache?: ReadCache;
  private readonly latency = new LatencyWindow();
  private readonly counters = { ...emptyCounters(), refused: 0, timeouts: 0, cacheHits: 0, rejectedClients: 0 };
  private inFlight = 0;
  /** A pump() is scheduled (setImmediate): the requests of one event-loop turn go upstream together. */
  private pumpScheduled = false;
  private readonly pumpBound = () => {
    this.pumpScheduled = false;
    this.pump();
  };
  private sequence = 0;
  private waitingOn?: DeviceSession;
  private stateValue: ProxyState = 'stopped';
  private since = Date.now();
  private lastError?: string;
  private bound?: { host: string; port: number };
  private rate = { at: performance.now(), requests: 0, perSecond: 0 };

  constructor(
    readonly definition: ProxyDefinition,
    private readonly upstream: ProxyUpstream,
    private readonly logger: Logger,
    private readonly onState: (proxy: ModbusProxy) => void = () => {},
  ) {
    this.allowList = new ClientAllowList(definition.allow);
    this.allowedFunctions = allowedFunctionSet(definition.allowedFunctions);
    this.route = unitRouter(definition, upstream.deviceUnitId);
    if (definition.cache) this.cache = new ReadCache(definition.cache.ttlMs);
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => this.log('warn', `server error: ${error.message}`));
  }

  get name(): string {
    return this.definition.name;
  }

  get state(): ProxyState {
    return this.stateValue;
  }

  /** Listen; rejects with ProxyListenError naming host:port (and the proxy goes to "error"). */
  async start(): Promise<void> {
    if (this.stateValue === 'running' || this.stateValue === 'starting') return;
    const { host, port } = this.definition.listen;
    this.setState('starting');
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          this.server.off('listening', onListening);
          reject(new ProxyListenError(this.name, host, port, error.code, error.message));
        };
        const onListening = () => {
          this.server.off('error', onError);
          resolve();
        };
        this.server.once('error', onError);
        this.server.once('listening', onListening);
        this.server.listen({ host, port });
      });
    } catch (error) {
      this.lastError = (error as Error).message;
      this.setState('error');
      throw error;
    }
    const address = this.server.address() as net.AddressInfo;
    this.bound = { host: address.address, port: address.port };
    this.lastError = undefined;
    this.log('info', `listening on ${address.address}:${address.port}, forwarding to ${this.upstream.device}`);
    this.setState('running');
  }

  /** Stop listening, drop every client, forget every queued request. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    for (const client of this.clients) client.close();
    this.clients.clear();
    await new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
    this.bound = undefined;
    this.log('info', 'stopped');
    this.setState('stopped');
  }

  info(): ProxyInfo {
    return {
      name: this.name,
      device: this.upstream.device,
      state: this.stateValue,
      since: this.since,
      listen: this.bound ?? { host: this.definition.listen.host, port: this.definition.listen.port },
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      clients: [...this.clients].map((client) => client.info()),
      stats: this.stats(),
    };
  }

  /** Called about once a second: the request rate over the interval since the last call. */
  sampleRate(): void {
    const now = performance.now();
    const elapsed = (now - this.rate.at) / 1000;
    if (elapsed <= 0) return;
    this.rate = { at: now, requests: this.counters.requests, perSecond: Math.round(((this.counters.requests - this.rate.requests) / elapsed) * 10) / 10 };
  }

  private stats(): ProxyStats {
    return { ...this.counters, requestsPerSecond: this.rate.perSecond, latencyMs: this.latency.percentiles() };
  }

  private accept(socket: net.Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (!this.allowList.allows(socket.remoteAddress)) {
      this.counters.rejectedClients++;
      this.log('warn', `refused client ${peer}: not on the allow-list`);
      socket.destroy();
      return;
    }
    if (this.clients.size >= this.definition.maxClients) {
      this.counters.rejectedClients++;
      this.log('warn', `refused client ${peer}: already ${this.clients.size} clients (maxClients ${this.definition.maxClients})`);
      socket.destroy();
      return;
    }
    const client = new ProxyClient(socket, {
      onRequest: (from, frame, adu) => this.receive(from, frame, adu),
      onBadFrame: (from, error) => {
        from.counters.errors++;
        this.counters.errors++;
        this.log('warn', `client ${from.address} sent bytes that are not Modbus TCP, closing it: ${error.message}`);
      },
      onClose: (from) => this.forget(from),
    });
    this.clients.add(client);
    this.log('debug', `client ${client.address} connected (${this.clients.size} now)`);
    this.onState(this);
  }

  private forget(client: ProxyClient): void {
    if (!this.clients.delete(client)) return;
    // Its queued requests go; those at the device finish there and their replies are dropped.
    for (const job of this.queue.removeOwner(client)) this.settle(job);
    this.log('debug', `client ${client.address} disconnected (${this.clients.size} left)`);
    this.onState(this);
  }

  private receive(client: ProxyClient, frame: MbapFrame, adu: Buffer): void {
    const correlation = `proxy ${this.name} #${++this.sequence}`;
    this.counters.requests++;
    this.counters.bytesIn += adu.length;
    client.counters.requests++;
    client.counters.bytesIn += adu.length;
    this.capture('rx', adu, client, frame.unitId, correlation);
    const job: Job = {
      client,
      transactionId: frame.transactionId,
      clientUnit: frame.unitId,
      upstreamUnit: frame.unitId,
      pdu: frame.pdu,
      correlation,
      receivedAt: performance.now(),
      pending: false,
      answered: false,
    };
    const functionCode = frame.pdu[0];
    if (this.allowedFunctions && !this.allowedFunctions.has(functionCode)) {
      this.counters.refused++;
      this.log('debug', `refused function ${functionCode} from ${client.address}: not allowed on this proxy`);
      return this.answer(job, encodeExceptionResponse(functionCode, ExceptionCode.IllegalFunction));
    }
    // A function the codec does not know goes to the device as bytes (forwardPdu.ts): the device decides.
    const decoded = decodeRequest(frame.pdu);
    if (!decoded.ok && !decoded.rejection.unsupported) return this.answer(job, encodeExceptionResponse(functionCode, decoded.rejection.exceptionCode));
    const upstreamUnit = this.route(frame.unitId);
    if (upstreamUnit === undefined) return this.fail(job, ExceptionCode.GatewayPathUnavailable, `unit ${frame.unitId} has no route`);
    job.upstreamUnit = upstreamUnit;
    if (this.cache) {
      if (isCacheableRead(frame.pdu)) {
        job.cacheKey = ReadCache.key(upstreamUnit, frame.pdu);
        const cached = this.cache.get(job.cacheKey);
        if (cached) {
          this.counters.cacheHits++;
          return this.answer(job, cached);
        }
      } else {
        this.cache.clear();
      }
    }
    client.pending++;
    job.pending = true;
    job.timer = setTimeout(() => this.expire(job), this.definition.requestTimeoutMs);
    this.queue.push(client, job);
    this.schedulePump();
  }

  /**
   * Pump once the event loop has read every socket that was readable this turn
   * (setImmediate runs right after the poll phase): the requests of all clients
   * then reach the session in one tick, leave in one upstream write (tcp.ts), and
   * are taken round-robin across every client that sent one, not one client at a time.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(this.pumpBound);
  }

  /** Hand queued requests to the session, round-robin, as many as the upstream takes at once. */
  private pump(): void {
    while (this.inFlight < this.upstream.concurrency && this.queue.size > 0) {
      const session = this.upstream.session();
      if (session && !session.isConnected && session.status.state === 'connecting') {
        // Starting up or reconnecting: the requests wait (within their budget) for the link.
        if (this.waitingOn !== session) {
          this.waitingOn = session;
          session.once('status', () => {
            this.waitingOn = undefined;
            this.schedulePump();
          });
        }
        return;
      }
      const job = this.queue.shift()!;
      if (!session?.isConnected) {
        const why = session ? `${this.upstream.device} is ${session.status.state}` : `no device "${this.upstream.device}"`;
        this.fail(job, ExceptionCode.GatewayPathUnavailable, why);
        continue;
      }
      this.inFlight++;
      session.requestPdu(job.upstreamUnit, job.pdu, job.correlation).then(
        (reply) => this.delivered(job, reply),
        (error: Error) => this.failed(job, error),
      );
    }
  }

  private delivered(job: Job, reply: Buffer): void {
    this.inFlight--;
    if (job.cacheKey && this.cache && (reply[0] & 0x80) === 0) this.cache.set(job.cacheKey, reply);
    this.answer(job, reply);
    this.schedulePump();
  }

  private failed(job: Job, error: Error): void {
    this.inFlight--;
    // Not sent at all: no path to the device (0x0A). Sent and then nothing usable: 0x0B.
    const notSent = error instanceof ConnectionClosedError && !error.wasSent;
    this.fail(job, notSent ? ExceptionCode.GatewayPathUnavailable : ExceptionCode.GatewayTargetFailedToRespond, error.message);
    this.schedulePump();
  }

  /** The time budget ran out: 0x0B now, whether the request still waits here or at the device. */
  private expire(job: Job): void {
    job.timer = undefined;
    if (job.answered) return;
    this.counters.timeouts++;
    this.queue.remove(job.client, job);
    this.fail(job, ExceptionCode.GatewayTargetFailedToRespond, `no reply within ${this.definition.requestTimeoutMs} ms (requestTimeoutMs)`);
  }

  private fail(job: Job, exceptionCode: number, why: string): void {
    if (job.answered) return;
    this.counters.errors++;
    job.client.counters.errors++;
    this.log('debug', `${job.correlation} from ${job.client.address}: exception 0x${exceptionCode.toString(16).padStart(2, '0')}: ${why}`);
    this.answer(job, encodeExceptionResponse(job.pdu[0], exceptionCode));
  }

  /** Reply to the client under its own transaction id and unit id; a late second answer is dropped. */
  private answer(job: Job, pdu: Buffer): void {
    if (job.answered) return;
    this.settle(job);
    const adu = job.client.reply(job.transactionId, job.clientUnit, pdu);
    if (!adu) return;
    if ((pdu[0] & 0x80) !== 0) {
      this.counters.exceptions++;
      job.client.counters.exceptions++;
    }
    this.counters.bytesOut += adu.length;
    const latencyMs = performance.now() - job.receivedAt;
    this.latency.record(latencyMs);
    job.client.latency.record(latencyMs);
    this.capture('tx', adu, job.client, job.clientUnit, job.correlation);
  }

  private settle(job: Job): void {
    if (job.answered) return;
    job.answered = true;
    clearTimeout(job.timer);
    if (job.pending) job.client.pending--;
  }

  private capture(direction: 'rx' | 'tx', bytes: Buffer, client: ProxyClient, unitId: number, correlation: string): void {
    this.upstream.recordFrame({
      direction,
      timestamp: frameTimestamp(),
      bytes,
      link: `proxy://${this.name}/${client.address}`,
      device: this.upstream.device,
      unitId,
      correlation,
    });
  }

  private setState(state: ProxyState): void {
    this.stateValue = state;
    this.since = Date.now();
    this.onState(this);
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.logger.log(level, `proxy ${this.name}: ${message}`, this.upstream.device);
  }
}
