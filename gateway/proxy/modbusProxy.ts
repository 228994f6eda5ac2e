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
 * No client can take the proxy from the others: a client may have `maxQueued`
 * requests waiting (more get exception 06, server busy); the queue's operations are
 * O(1) however much waits; silent, idle and non-reading clients are closed
 * (proxyClient.ts); when every slot is taken the client idle longest makes room.
 * A request to a unit that stopped answering is refused at once with 0x0B but for
 * one probe per interval (engine/unitHealth.ts), so it costs the other units one
 * timeout per interval, not one per request. While the device link is down a
 * request starts a connect attempt at once instead of waiting out the backoff.
 *
 * Both legs are captured: the client's request and our reply on the link
 * "proxy://NAME/CLIENT", the device's on its own link, all three with the correlation "proxy NAME #N".
 */
import net from 'node:net';
import type { ProxyInfo, ProxyState, ProxyStats } from '../api/proxies';
import { allowedFunctionSet, type ProxyDefinition } from '../api/proxyConfig';
import type { DeviceSession } from '../engine/session';
import type { Logger } from '../engine/logger';
import { UnitDownError } from '../engine/unitHealth';
import { ConnectionClosedError } from '../protocol/errors';
import { ExceptionCode } from '../protocol/exceptions';
import type { MbapFrame } from '../protocol/mbap';
import { opaqueRequest } from '../protocol/opaque';
import { decodeRequest } from '../protocol/requests';
import { encodeExceptionResponse } from '../protocol/responses';
import { frameTimestamp, type LinkFrame } from '../transport/frames';
import { Budgets } from './budgets';
import { ClientAllowList } from './clientAllowList';
import { emptyCounters } from './counters';
import { ProxyListenError } from './errors';
import { FairQueue } from './fairQueue';
import { LatencyWindow } from './latencyWindow';
import { Job, readKey } from './proxyJob';
import { ProxyClient, type DropReason } from './proxyClient';
import { isCacheableRead, ReadCache } from './readCache';
import { readOnlyRefusal } from './readOnly';
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
  /** Each answer sent to a client, receipt to reply (metrics' latency histogram listens here). */
  answered?(latencyMs: number, exception: boolean): void;
}

/** A full proxy closes its idlest client for a new one only if that one is idle at least this long. */
export const MIN_IDLE_TO_MAKE_ROOM_MS = 2000;

export class ModbusProxy {
  /** The device definition the proxy was built for (a changed device means a new proxy). */
  deviceAtStart?: unknown;
  private readonly server: net.Server;
  private readonly clients = new Set<ProxyClient>();
  private readonly queue = new FairQueue<ProxyClient, Job>();
  private readonly allowList: ClientAllowList;
  private readonly allowedFunctions?: ReadonlySet<number>;
  private readonly readOnly: boolean;
  private readonly route: UnitRouter;
  private readonly cache?: ReadCache;
  /** coalesceReads: for each read key, the read (queued or at the device) that identical reads join. */
  private readonly sharedReads?: Map<number, Job>;
  private readonly latency = new LatencyWindow();
  private readonly budgets = new Budgets<Job>((job) => this.expire(job));
  private readonly counters = {
    ...emptyCounters(),
    refused: 0,
    timeouts: 0,
    cacheHits: 0,
    rejectedClients: 0,
    droppedClients: 0,
    coalesced: 0,
  };
  private inFlight = 0;
  /** A pump() is scheduled (setImmediate): the requests of one event-loop turn go upstream together. */
  private pumpScheduled = false;
  private readonly pumpBound = () => {
    this.pumpScheduled = false;
    this.pump();
  };
  private sequence = 0;
  /** The session whose link the queued requests wait for, and the listener that waits. */
  private waitingOn?: { session: DeviceSession; listener: (status: DeviceSession['status']) => void };
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
    this.readOnly = definition.allowedFunctions === 'read-only';
    this.route = unitRouter(definition, upstream.deviceUnitId);
    if (definition.cache) this.cache = new ReadCache(definition.cache.ttlMs);
    if (definition.coalesceReads) this.sharedReads = new Map();
    // allowHalfOpen: a client that sends its requests and then FIN still gets every reply.
    this.server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket));
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
    this.stopWaiting();
    this.budgets.clear();
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
    if (this.clients.size >= this.definition.maxClients && !this.makeRoomFor(peer)) {
      this.counters.rejectedClients++;
      this.log('warn', `refused client ${peer}: already ${this.clients.size} clients (maxClients ${this.definition.maxClients}), none idle for ${MIN_IDLE_TO_MAKE_ROOM_MS / 1000} s`);
      socket.destroy();
      return;
    }
    const client = new ProxyClient(
      socket,
      {
        onRequest: (from, frame, adu) => this.receive(from, frame, adu),
        onBadFrame: (from, error) => {
          from.counters.errors++;
          this.counters.errors++;
          this.log('warn', `client ${from.address} sent bytes that are not Modbus TCP, closing it: ${error.message}`);
        },
        onDrop: (from, reason, detail) => this.dropped(from, reason, detail),
        onClose: (from) => this.forget(from),
      },
      { idleTimeoutMs: this.definition.idleTimeoutMs, maxQueued: this.definition.maxQueued },
    );
    client.captureLink = `proxy://${this.name}/${client.address}`;
    this.clients.add(client);
    this.log('debug', `client ${client.address} connected (${this.clients.size} now)`);
    this.onState(this);
  }

  /**
   * Every slot is taken: close the client idle longest for `peer`, if one has had
   * nothing pending and sent nothing for MIN_IDLE_TO_MAKE_ROOM_MS. Clients that poll
   * keep their slot; sockets that only hold one lose it. Returns whether one was closed.
   */
  private makeRoomFor(peer: string): boolean {
    let idlest: ProxyClient | undefined;
    for (const client of this.clients) {
      if (client.pending === 0 && (!idlest || client.lastRequestAt < idlest.lastRequestAt)) idlest = client;
    }
    if (!idlest || performance.now() - idlest.lastRequestAt < MIN_IDLE_TO_MAKE_ROOM_MS) return false;
    const idleSeconds = ((performance.now() - idlest.lastRequestAt) / 1000).toFixed(1);
    idlest.drop('made room', `idle longest (${idleSeconds} s) of ${this.clients.size} clients (maxClients ${this.definition.maxClients}): closed to make room for ${peer}`);
    this.forget(idlest);
    return true;
  }

  private dropped(client: ProxyClient, reason: DropReason, detail: string): void {
    this.counters.droppedClients++;
    client.counters.errors++;
    this.log(reason === 'made room' ? 'info' : 'warn', `closed client ${client.address}: ${detail}`);
  }

  private forget(client: ProxyClient): void {
    if (!this.clients.delete(client)) return;
    // Its queued requests go, unsent; those at the device finish there and their replies are dropped.
    for (const job of this.queue.removeOwner(client)) {
      job.queued = false;
      this.settle(job);
      if (job.followers) this.handOver(job);
    }
    this.log('debug', `client ${client.address} disconnected (${this.clients.size} left)`);
    this.onState(this);
  }

  private receive(client: ProxyClient, frame: MbapFrame, adu: Buffer): void {
    const correlation = `proxy ${this.name} #${++this.sequence}`;
    this.counters.requests++;
    this.counters.bytesIn += adu.length;
    client.counters.requests++;
    client.counters.bytesIn += adu.length;
    const job = new Job(client, frame.transactionId, frame.unitId, frame.pdu, correlation);
    if (client.atQueueLimit) job.captured = false;
    else this.capture('rx', adu, client, frame.unitId, correlation);
    const functionCode = frame.pdu[0];
    if (this.allowedFunctions && !this.allowedFunctions.has(functionCode)) {
      return this.refuse(job, `function ${functionCode} is not allowed on this proxy`);
    }
    const readOnlyProblem = this.readOnly ? readOnlyRefusal(frame.pdu) : undefined;
    if (readOnlyProblem) return this.refuse(job, `read-only: ${readOnlyProblem}`);
    // A function the codec does not know goes to the device as bytes (forwardPdu.ts): the device decides.
    const decoded = decodeRequest(frame.pdu);
    if (!decoded.ok && !decoded.rejection.unsupported) return this.answer(job, encodeExceptionResponse(functionCode, decoded.rejection.exceptionCode));
    job.request = decoded.ok ? decoded.request : opaqueRequest(frame.pdu);
    const upstreamUnit = this.route(frame.unitId);
    if (upstreamUnit === undefined) return this.fail(job, ExceptionCode.GatewayPathUnavailable, `unit ${frame.unitId} has no route`);
    job.upstreamUnit = upstreamUnit;
    const read = isCacheableRead(frame.pdu);
    if (this.cache) {
      if (read) {
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
    if (client.atQueueLimit) return this.busy(job);
    client.pending++;
    job.pending = true;
    job.deadline = job.receivedAt + this.definition.requestTimeoutMs;
    this.budgets.add(job);
    if (this.sharedReads && this.joinSharedRead(job, read)) return;
    job.queued = true;
    this.queue.push(client, job);
    this.schedulePump();
  }

  /**
   * coalesceReads: a read identical to one queued or at the device waits for that
   * one's reply instead of going to the device itself. Any other request ends the
   * sharing, so a read that arrives after a write never gets a reply read before it.
   * Returns whether `job` joined another.
   */
  private joinSharedRead(job: Job, read: boolean): boolean {
    const shared = this.sharedReads!;
    if (!read) {
      shared.clear();
      return false;
    }
    job.readKey = readKey(job.upstreamUnit, job.pdu);
    const leader = shared.get(job.readKey);
    if (leader && !leader.answered) {
      (leader.followers ??= []).push(job);
      return true;
    }
    shared.set(job.readKey, job);
    return false;
  }

  /** A read that others joined leaves without going to the device (its client left, or its budget ran out): the next one takes its place. */
  private handOver(job: Job): void {
    // Those still waiting whose client is still there: a departed client's read need not reach the device.
    const followers = job.followers?.filter((follower) => !follower.answered && follower.client.isOpen);
    job.followers = undefined;
    if (this.sharedReads?.get(job.readKey) === job) this.sharedReads.delete(job.readKey);
    if (!followers || followers.length === 0) return;
    const [next, ...rest] = followers;
    next.followers = rest.length > 0 ? rest : undefined;
    if (!this.sharedReads?.has(next.readKey)) this.sharedReads?.set(next.readKey, next);
    next.queued = true;
    this.queue.push(next.client, next);
    this.schedulePump();
  }

  /** The function-code filter (or read-only's sub-function check) refuses: exception 01, never sent. */
  private refuse(job: Job, why: string): void {
    this.counters.refused++;
    this.log('debug', `refused a request from ${job.client.address}: ${why}`);
    this.answer(job, encodeExceptionResponse(job.pdu[0], ExceptionCode.IllegalFunction));
  }

  /** The client already has maxQueued requests waiting: exception 06 (server busy), counted, logged once per client. */
  private busy(job: Job): void {
    this.counters.busy++;
    if (job.client.counters.busy++ === 0) {
      this.log(
        'warn',
        `client ${job.client.address} has ${this.definition.maxQueued} requests queued (maxQueued): more get exception 06 (server busy), ` +
          'counted in its busy count but not captured',
      );
    }
    this.answer(job, encodeExceptionResponse(job.pdu[0], ExceptionCode.ServerDeviceBusy));
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
      if (!session) return this.failQueued(`no device "${this.upstream.device}"`);
      if (!session.isConnected) return this.awaitLink(session);
      const job = this.queue.shift()!;
      job.queued = false;
      this.inFlight++;
      session
        .requestPdu(job.upstreamUnit, job.pdu, { correlation: job.correlation, retries: this.definition.retries, request: job.request, guardUnits: true })
        .then(
          (reply) => this.delivered(job, reply),
          (error: Error) => this.failed(job, error),
        );
    }
  }

  /**
   * The link is down: wait for it within each request's budget. While the session
   * backs off after a failed connect, try again now rather than when the backoff
   * says; only when that attempt fails do the queued requests get 0x0A.
   */
  private awaitLink(session: DeviceSession): void {
    if (this.waitingOn?.session === session) return;
    this.stopWaiting();
    const state = session.status.state;
    // Backing off after a failed connect, or before reopening a silent device's link: try now.
    if (state === 'error' || state === 'notAnswering') session.connectNow();
    if (session.status.state !== 'connecting') return this.failQueued(`${this.upstream.device} is ${session.status.state}${session.status.lastError ? `: ${session.status.lastError}` : ''}`);
    const listener = (status: DeviceSession['status']) => {
      if (status.state === 'connecting') return;
      this.stopWaiting();
      if (status.state === 'connected') this.schedulePump();
      else this.failQueued(`cannot reach ${this.upstream.device}: ${status.lastError ?? status.state}`);
    };
    session.on('status', listener);
    this.waitingOn = { session, listener };
  }

  private stopWaiting(): void {
    if (!this.waitingOn) return;
    this.waitingOn.session.off('status', this.waitingOn.listener);
    this.waitingOn = undefined;
  }

  /** No path to the device: every queued request gets 0x0A now. */
  private failQueued(why: string): void {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      job.queued = false;
      this.leaveDevice(job);
      this.failWithFollowers(job, ExceptionCode.GatewayPathUnavailable, why);
    }
  }

  private delivered(job: Job, reply: Buffer): void {
    this.inFlight--;
    this.leaveDevice(job);
    if (job.cacheKey && this.cache && (reply[0] & 0x80) === 0) this.cache.set(job.cacheKey, reply);
    this.answer(job, reply);
    if (job.followers) {
      for (const follower of job.followers) {
        if (follower.answered) continue;
        this.counters.coalesced++;
        this.answer(follower, reply);
      }
    }
    this.schedulePump();
  }

  private failed(job: Job, error: Error): void {
    this.inFlight--;
    this.leaveDevice(job);
    // Not sent at all: no path to the device (0x0A). Sent and then nothing usable, or a unit marked down: 0x0B.
    const notSent = error instanceof ConnectionClosedError && !error.wasSent;
    const code = notSent ? ExceptionCode.GatewayPathUnavailable : ExceptionCode.GatewayTargetFailedToRespond;
    if (error instanceof UnitDownError) this.counters.timeouts++;
    this.failWithFollowers(job, code, error.message);
    this.schedulePump();
  }

  private failWithFollowers(job: Job, exceptionCode: number, why: string): void {
    this.fail(job, exceptionCode, why);
    if (job.followers) for (const follower of job.followers) this.fail(follower, exceptionCode, why);
  }

  /** A read is back from the device: later identical reads go to the device again. */
  private leaveDevice(job: Job): void {
    if (job.readKey >= 0 && this.sharedReads?.get(job.readKey) === job) this.sharedReads.delete(job.readKey);
  }

  /** The time budget ran out: 0x0B now, whether the request still waits here or at the device. */
  private expire(job: Job): void {
    if (job.answered) return;
    this.counters.timeouts++;
    if (job.queued) {
      job.queued = false;
      this.queue.remove(job.client, job);
      if (job.followers) this.handOver(job);
    }
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
    this.upstream.answered?.(latencyMs, (pdu[0] & 0x80) !== 0);
    if (job.captured) this.capture('tx', adu, job.client, job.clientUnit, job.correlation);
  }

  private settle(job: Job): void {
    if (job.answered) return;
    job.answered = true;
    if (job.pending) {
      job.client.requestSettled();
      this.budgets.trim();
    }
  }

  private capture(direction: 'rx' | 'tx', bytes: Buffer, client: ProxyClient, unitId: number, correlation: string): void {
    this.upstream.recordFrame({
      direction,
      timestamp: frameTimestamp(),
      bytes,
      link: client.captureLink,
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
