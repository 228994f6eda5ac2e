/**
 * One client connection of a proxy: MBAP reassembly (a chunk may hold half a frame
 * or several), its own counters, and replies written back with the client's own
 * transaction id and unit id. A header that cannot be right (wrong protocol id, a
 * length beyond 254) leaves no way to find the next frame: the connection is closed,
 * and only this client notices.
 *
 * What one client may hold of the proxy is bounded, so none can lock the others out:
 * a frame it started must be complete within PARTIAL_FRAME_MS; a client that sends no
 * request for `idleTimeoutMs` is closed; one that leaves more than MAX_UNREAD_BYTES of
 * replies unread is closed. A client that half-closes (sends its requests, then FIN)
 * still gets every reply: its side is ended only once nothing of it is pending.
 */
import type net from 'node:net';
import type { ProxyClientInfo, ProxyCounters } from '../api/proxies';
import { decodeMbapFrame, encodeMbapFrame, type MbapFrame } from '../protocol/mbap';
import { MbapReassembler } from '../protocol/mbapReassembler';
import { emptyCounters } from './counters';
import { LatencyWindow } from './latencyWindow';
import { TickWriter } from '../transport/tickWriter';

/** Dead clients (a cable pulled) are noticed after about this long. */
const CLIENT_KEEPALIVE_MS = 30_000;
/** Latency samples kept per client (the proxy keeps 2048 over all its clients). */
const CLIENT_LATENCY_SAMPLES = 512;
/** A frame that has started must be complete within this (a frame is at most 260 bytes). */
export const PARTIAL_FRAME_MS = 3000;
/** Replies the client has not read, past which it is closed (they would only pile up in memory). */
export const MAX_UNREAD_BYTES = 256 * 1024;

/** Why the proxy closed a client itself. */
export type DropReason = 'idle' | 'partial frame' | 'unread replies' | 'made room';

export interface ProxyClientEvents {
  onRequest(client: ProxyClient, frame: MbapFrame, adu: Buffer): void;
  onBadFrame(client: ProxyClient, error: Error): void;
  /** The proxy closes the client for `reason` (`detail` says it in words for the log). */
  onDrop(client: ProxyClient, reason: DropReason, detail: string): void;
  onClose(client: ProxyClient): void;
}

export interface ProxyClientLimits {
  idleTimeoutMs: number;
  /**
   * Requests it may have waiting. At the bound the proxy stops reading its socket until
   * one settles: a flood stays in the kernel's buffers (TCP holds the sender back)
   * instead of being parsed into busy answers as fast as it arrives.
   */
  maxQueued: number;
}

export class ProxyClient {
  readonly address: string;
  readonly connectedSince = Date.now();
  readonly counters: ProxyCounters = emptyCounters();
  /** Smaller than the proxy's window: a proxy may have many clients. */
  readonly latency = new LatencyWindow(CLIENT_LATENCY_SAMPLES);
  /** Requests of this client queued or at the device. */
  pending = 0;
  /** The link its frames are captured on ("proxy://NAME/ADDRESS"), made once. */
  captureLink = '';
  /** performance.now() of its last request (or of its connect): who is idle longest. */
  lastRequestAt = performance.now();
  private readonly reassembler = new MbapReassembler();
  private closed = false;
  /** The client half-closed: end our side once its last reply is out. */
  private ended = false;
  private partialTimer?: NodeJS.Timeout;
  /** Reading is paused: it has maxQueued requests waiting. */
  private held = false;
  private readonly maxQueued: number;
  /** Replies written this tick, sent together: one write however many. */
  private readonly writer: TickWriter;

  constructor(
    private readonly socket: net.Socket,
    private readonly events: ProxyClientEvents,
    limits: ProxyClientLimits,
  ) {
    this.address = peerAddress(socket);
    this.maxQueued = limits.maxQueued;
    this.writer = new TickWriter(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, CLIENT_KEEPALIVE_MS);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('timeout', () => {
      // Waiting for the device is not idle: only a client with nothing pending is.
      if (this.pending === 0) this.drop('idle', `sent no request for ${Math.round(limits.idleTimeoutMs / 1000)} s (idleTimeoutMs)`);
    });
    socket.on('end', () => {
      this.ended = true;
      this.endIfDone();
    });
    // A reset from the client is its own business; 'close' follows and cleans up.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      clearTimeout(this.partialTimer);
      events.onClose(this);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Send a reply PDU as the answer to the client's `transactionId`. Returns the ADU sent, or undefined if the client is gone. */
  reply(transactionId: number, unitId: number, pdu: Buffer): Buffer | undefined {
    if (this.closed || this.socket.destroyed) return undefined;
    if (this.socket.writableLength > MAX_UNREAD_BYTES) {
      this.drop('unread replies', `left more than ${MAX_UNREAD_BYTES / 1024} KiB of replies unread`);
      return undefined;
    }
    const adu = encodeMbapFrame({ transactionId, unitId, pdu });
    this.counters.bytesOut += adu.length;
    this.writer.push(adu);
    return adu;
  }

  /**
   * It has as many requests waiting as it may (maxQueued): the proxy answers more with
   * exception 06 (server busy) and this client stops reading its socket until one settles.
   */
  get atQueueLimit(): boolean {
    return this.pending >= this.maxQueued;
  }

  /** One of its requests is answered (or dropped): a half-closed client is ended after its last. */
  requestSettled(): void {
    this.pending--;
    if (this.held && !this.atQueueLimit && !this.closed) {
      this.held = false;
      this.socket.resume();
    }
    if (this.ended && this.pending === 0) process.nextTick(endClient, this);
  }

  close(): void {
    this.writer.flush();
    this.closed = true;
    clearTimeout(this.partialTimer);
    this.socket.destroy();
  }

  /** The proxy closes this client for a reason of its own (logged and counted by the proxy). */
  drop(reason: DropReason, detail: string): void {
    if (this.closed) return;
    this.events.onDrop(this, reason, detail);
    this.close();
  }

  info(): ProxyClientInfo {
    return { address: this.address, connectedSince: this.connectedSince, pending: this.pending, ...this.counters, latencyMs: this.latency.percentiles() };
  }

  /** Half-closed and nothing pending: write what is queued and end our side. */
  endIfDone(): void {
    if (!this.ended || this.pending > 0 || this.closed) return;
    this.writer.flush();
    this.socket.end();
  }

  private receive(chunk: Buffer): void {
    let adus: Buffer[];
    try {
      adus = this.reassembler.push(chunk);
    } catch (error) {
      this.events.onBadFrame(this, error as Error);
      this.close();
      return;
    }
    if (adus.length > 0) this.lastRequestAt = performance.now();
    for (const adu of adus) {
      if (this.closed) return;
      // The reassembler checked the header and the length, so this cannot throw.
      this.events.onRequest(this, decodeMbapFrame(adu), adu);
    }
    this.watchPartialFrame(adus.length > 0);
    if (this.atQueueLimit && !this.closed) {
      this.held = true;
      this.socket.pause();
    }
  }

  /**
   * A started frame must finish in time: a client cannot hold its slot with half a
   * header. The clock starts when a frame is left unfinished and starts over with
   * every frame completed, so a client streaming requests is never cut off.
   */
  private watchPartialFrame(progressed: boolean): void {
    const buffered = this.reassembler.bufferedBytes;
    if (buffered === 0 || progressed) {
      clearTimeout(this.partialTimer);
      this.partialTimer = undefined;
    }
    if (buffered > 0 && this.partialTimer === undefined && !this.closed) {
      this.partialTimer = setTimeout(() => {
        this.partialTimer = undefined;
        const left = this.reassembler.bufferedBytes;
        if (left > 0) this.drop('partial frame', `sent ${left} bytes of a frame and not the rest within ${PARTIAL_FRAME_MS / 1000} s`);
      }, PARTIAL_FRAME_MS);
    }
  }
}

// A plain function, not a closure per reply.
function endClient(client: ProxyClient): void {
  client.endIfDone();
}

export function peerAddress(socket: net.Socket): string {
  const host = socket.remoteAddress ?? 'unknown';
  return host.includes(':') ? `[${host}]:${socket.remotePort}` : `${host}:${socket.remotePort}`;
}
