/**
 * One client connection of a proxy: MBAP reassembly (a chunk may hold half a frame
 * or several), its own counters, and replies written back with the client's own
 * transaction id and unit id. A header that cannot be right (wrong protocol id, a
 * length beyond 254) leaves no way to find the next frame: the connection is closed,
 * and only this client notices.
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

export interface ProxyClientEvents {
  onRequest(client: ProxyClient, frame: MbapFrame, adu: Buffer): void;
  onBadFrame(client: ProxyClient, error: Error): void;
  onClose(client: ProxyClient): void;
}

export class ProxyClient {
  readonly address: string;
  readonly connectedSince = Date.now();
  readonly counters: ProxyCounters = emptyCounters();
  /** Smaller than the proxy's window: a proxy may have many clients. */
  readonly latency = new LatencyWindow(CLIENT_LATENCY_SAMPLES);
  /** Requests of this client queued or at the device. */
  pending = 0;
  private readonly reassembler = new MbapReassembler();
  private closed = false;
  /** Replies written this tick, sent together: one write however many. */
  private readonly writer: TickWriter;

  constructor(
    private readonly socket: net.Socket,
    events: ProxyClientEvents,
  ) {
    this.address = peerAddress(socket);
    this.writer = new TickWriter(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, CLIENT_KEEPALIVE_MS);
    socket.on('data', (chunk: Buffer) => {
      let adus: Buffer[];
      try {
        adus = this.reassembler.push(chunk);
      } catch (error) {
        events.onBadFrame(this, error as Error);
        this.close();
        return;
      }
      for (const adu of adus) {
        if (this.closed) return;
        // The reassembler checked the header and the length, so this cannot throw.
        events.onRequest(this, decodeMbapFrame(adu), adu);
      }
    });
    // A reset from the client is its own business; 'close' follows and cleans up.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      events.onClose(this);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Send a reply PDU as the answer to the client's `transactionId`. Returns the ADU sent, or undefined if the client is gone. */
  reply(transactionId: number, unitId: number, pdu: Buffer): Buffer | undefined {
    if (this.closed || this.socket.destroyed) return undefined;
    const adu = encodeMbapFrame({ transactionId, unitId, pdu });
    this.counters.bytesOut += adu.length;
    this.writer.push(adu);
    return adu;
  }

  close(): void {
    this.writer.flush();
    this.closed = true;
    this.socket.destroy();
  }

  info(): ProxyClientInfo {
    return { address: this.address, connectedSince: this.connectedSince, pending: this.pending, ...this.counters, latencyMs: this.latency.percentiles() };
  }
}

export function peerAddress(socket: net.Socket): string {
  const host = socket.remoteAddress ?? 'unknown';
  return host.includes(':') ? `[${host}]:${socket.remotePort}` : `${host}:${socket.remotePort}`;
}
